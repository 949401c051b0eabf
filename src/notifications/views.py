"""The notification centre: list, mark read, preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import delivery
from .models import Notification, Preference


class PreferenceForm(forms.ModelForm):
    reminder_days = forms.CharField(
        label="Remind me this many days before a due date",
        help_text="Comma-separated, e.g. 1, 3 (empty: no reminders before due dates).",
        required=False,
    )

    class Meta:
        model = Preference
        fields = ["email_enabled", "reminder_days", "daily_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["reminder_days"] = ", ".join(str(d) for d in self.instance.reminder_days)

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data.get("reminder_days") or ""
        days = set()
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 60:
                raise forms.ValidationError(f"“{part}” is not a number of days from 1 to 60.")
            days.add(int(part))
        return sorted(days)


@login_required
def inbox(request):
    notifications = Notification.objects.filter(user=request.user).select_related("work_item")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    preference = Preference.for_user(request.user)
    form = (
        PreferenceForm(request.POST or None, instance=preference)
        if request.method == "POST"
        else PreferenceForm(instance=preference)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings were saved.")
        return redirect("notifications:inbox")
    return render(
        request,
        "notifications/inbox.html",
        {
            "nav": "notifications",
            "page": page,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = delivery.mark_read(get_object_or_404(Notification, pk=pk, user=request.user))
    if notification.work_item_id and request.POST.get("open"):
        return redirect("common:detail", pk=notification.work_item_id)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = delivery.mark_all_read(request.user)
    messages.success(request, f"{count} notification(s) marked as read.")
    return redirect("notifications:inbox")
