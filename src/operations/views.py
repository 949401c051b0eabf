"""Administrators' performance page and the feedback form."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Feedback, RequestTiming


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@login_required
@permission_required("operations.view_requesttiming", raise_exception=True)
def performance(request):
    since = timezone.now() - dt.timedelta(days=1)
    durations: dict[str, list[float]] = defaultdict(list)
    for view, duration in RequestTiming.objects.filter(created_at__gte=since).values_list(
        "view", "duration_ms"
    ):
        durations[view].append(duration)
    rows = [
        {
            "view": view,
            "count": len(values),
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "max": max(values),
        }
        for view, values in sorted(durations.items())
    ]
    return render(request, "operations/performance.html", {"rows": rows, "since": since})


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, "5 – excellent"),
            (4, "4 – good"),
            (3, "3 – fair"),
            (2, "2 – poor"),
            (1, "1 – very poor"),
        ],
        label="How well does OBCMS Work serve you?",
    )
    category = forms.ChoiceField(
        choices=Feedback.Category.choices,
        initial=Feedback.Category.GENERAL,
        required=False,
        label="What is it about?",
    )

    def clean_category(self) -> str:
        """Older forms and scripts send no subject: that is feedback "in general"."""
        return self.cleaned_data.get("category") or Feedback.Category.GENERAL

    class Meta:
        model = Feedback
        fields = ["rating", "category", "comment", "page"]
        widgets = {"page": forms.HiddenInput, "comment": forms.Textarea(attrs={"rows": 4})}


@login_required
def feedback(request):
    source = request.GET.get("from", "")
    if not url_has_allowed_host_and_scheme(source, allowed_hosts={request.get_host()}):
        source = ""
    form = FeedbackForm(
        request.POST if request.method == "POST" else None, initial={"page": source[:500]}
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.user = request.user
        entry.save()
        messages.success(request, "Thank you — your feedback reaches the administrators.")
        page = entry.page
        return redirect(
            page
            if page and url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()})
            else "home"
        )
    return render(
        request, "operations/feedback.html", {"form": form}, status=400 if form.errors else 200
    )
