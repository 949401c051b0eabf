"""The notification centre: list and mark read. The settings live on the profile page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from obcms.ids import is_id

from . import delivery
from .grouping import inbox_rows
from .models import Notification


@login_required
def inbox(request):
    if request.method == "POST":
        # The settings form used to post here; an open old tab keeps working (307 keeps the
        # method and the fields) on the profile page, which now holds the form.
        return HttpResponseRedirect(reverse("accounts:notification_settings"), status=307)
    notifications = Notification.objects.filter(user=request.user).select_related("work_item")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"nav": "notifications", "page": page, "rows": inbox_rows(page.object_list)},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read, and with it the rest of its group (`also`, the same person's)."""
    notification = delivery.mark_read(get_object_or_404(Notification, pk=pk, user=request.user))
    also = [int(value) for value in request.POST.getlist("also") if is_id(value)]
    if also:
        delivery.mark_many_read(request.user, also)
    if notification.work_item_id and request.POST.get("open"):
        return redirect("common:detail", pk=notification.work_item_id)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = delivery.mark_all_read(request.user)
    messages.success(request, f"{count} notification(s) marked as read.")
    return redirect("notifications:inbox")
