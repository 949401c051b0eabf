"""The Working days page: an organisation's working week, public holidays and closures.

Everyone with a role reads their organisation's calendar; managers (administrators: any
organisation they see, chosen with `?organization=`) change it through `planning.working_days`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from common import permissions
from obcms.ids import is_id

from . import working_days
from .models import WEEKDAY_FIELDS, NonWorkingDay

WEEKDAYS = [(str(n), name.title()) for n, name in enumerate(WEEKDAY_FIELDS)]


class WeekForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, label="Working weekdays"
    )


class DayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=NonWorkingDay.Kind.choices, initial="closure")


def _organization(request: HttpRequest) -> int:
    raw = request.GET.get("organization") or request.POST.get("organization")
    if raw:
        if not is_id(raw):
            raise Http404("No such organisation.")
        org = int(raw)
    else:
        org = request.user.organization_id
    if org is None or not permissions.visible_organizations(request.user).filter(pk=org).exists():
        raise Http404("No such organisation.")
    return org


def _address(org: int) -> str:
    return f"{reverse('planning:working_days')}?organization={org}"


@login_required
@require_http_methods(["GET", "POST"])
def working_days_page(request: HttpRequest) -> HttpResponse:
    org = _organization(request)
    calendar = working_days.load([org])[org]
    week = WeekForm(initial={"weekdays": [str(d) for d in sorted(calendar.weekdays)]})
    day = DayForm()
    status = 200
    may_change = permissions.manages(request.user, org) and permissions.writes_open()
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only managers may change working days.")
        form = WeekForm(request.POST) if "weekdays-form" in request.POST else DayForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            if isinstance(form, WeekForm):
                working_days.set_weekdays(
                    request.user, org, [int(d) for d in form.cleaned_data["weekdays"]]
                )
                messages.success(request, "Saved the working week.")
            else:
                row = working_days.add_non_working_day(
                    request.user,
                    org,
                    form.cleaned_data["date"],
                    form.cleaned_data["name"],
                    form.cleaned_data["kind"],
                )
                messages.success(request, f"Added {row.date:%d %B %Y}: {row.name}.")
            return redirect(_address(org))
        except ValidationError as exc:
            status = 400
            if isinstance(form, WeekForm):
                week = form
            else:
                day = form
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    if field in form.fields and not form.has_error(field):
                        form.add_error(field, errors)
    days = NonWorkingDay.objects.filter(organization_id=org).order_by("date")
    return render(
        request,
        "planning/working_days.html",
        {
            "nav": "timeline",
            "organization": org,
            "week": week,
            "day": day,
            "days": days,
            "may_change": may_change,
        },
        status=status,
    )


@login_required
@require_POST
def remove_day(request: HttpRequest, day_id: int) -> HttpResponse:
    row = get_object_or_404(
        NonWorkingDay.objects.filter(
            organization__in=permissions.visible_organizations(request.user)
        ),
        pk=day_id,
    )
    if not permissions.writes_open():
        raise PermissionDenied("Changes are switched off.")
    working_days.remove_non_working_day(request.user, row)
    messages.success(request, f"Removed {row.date:%d %B %Y}: {row.name}.")
    return redirect(_address(row.organization_id))
