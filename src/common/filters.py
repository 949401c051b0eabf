"""The one set of work item filters, shared by the tree page, exports and the API.

Filters apply to *every* visible item, not just top-level ones, so a match deep in a tree is
found; the tree page then shows it with its ancestors for context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.renderers import Jinja2
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Organization, Team, User
from obcms.ids import BoundedModelChoiceField, is_id

from . import permissions
from .models import Priority, Status, WorkItem, WorkType
from .queries.plate import assigned_to, of_team, plate_ids


class AssigneeField(forms.CharField):
    """A person's id, or `me`."""

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None, "me"):
            return value or None
        if not is_id(value):
            raise forms.ValidationError("Give a person's number or “me”.")
        return int(value)


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


@extend_schema_field(OpenApiTypes.STR)
class AssigneeFilter(django_filters.Filter):
    """A person's id or `me`."""

    field_class = AssigneeField


class _ReadOnce(BaseChoiceIterator):
    """Choices read when first drawn, then reused (a select looks at its choices twice)."""

    def __init__(self, read: Callable[[], list[tuple[str, str]]]) -> None:
        self._read = read
        self._choices: list[tuple[str, str]] | None = None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        if self._choices is None:
            self._choices = self._read()
        return iter(self._choices)


def _assignee_choices(user) -> list[tuple[str, str]]:
    """Whom the tree, board and timeline filters offer: anyone, me, or an active person the
    user may see, by name."""
    people = (
        permissions.visible_people(user)
        .filter(is_active=True)
        .order_by("first_name", "username")
        .only("pk", "first_name", "last_name", "username")
    )
    return [("", "Anyone"), ("me", "Me"), *((str(u.pk), u.display_name) for u in people)]


DUE_CHOICES = [
    ("overdue", "Overdue"),
    ("week", "Due this week"),
    ("two_weeks", "Due in the next two weeks"),
]
OPEN = ~Q(status__in=[Status.COMPLETED, Status.CANCELLED])


#: The filter form draws ~40 widgets and options on every tree page (the three checkbox groups,
#: the people, teams, organisations, due windows). Django's own Jinja2 copies of its widget
#: templates draw the same elements and attributes (whitespace aside) in half the time the
#: template engine takes: ~5.8 ms instead of ~10.7 ms per tree page, measured in one process.
WIDGET_RENDERER = Jinja2()


def due_window(which: str, today: dt.date) -> Q:
    """Open items overdue, due by the end of this week, or due in the next 14 days."""
    if which == "overdue":
        return Q(due_date__lt=today) & OPEN
    if which == "week":
        week_end = today + dt.timedelta(days=6 - today.weekday())
        return Q(due_date__gte=today, due_date__lte=week_end) & OPEN
    return Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=13)) & OPEN


class WorkItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    work_type = django_filters.MultipleChoiceFilter(choices=WorkType.choices, label="Type")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices)
    assignee = AssigneeFilter(method="by_assignee", label="Assignee")
    team = BoundedModelChoiceFilter(
        queryset=Team.objects.none(), method="by_team", label="Team", empty_label="Any team"
    )
    organization = BoundedModelChoiceFilter(
        queryset=Organization.objects.none(), label="Organisation", empty_label="Any organisation"
    )
    mine = django_filters.BooleanFilter(
        method="assigned_to_me",
        label="Mine",
        widget=forms.CheckboxInput,
        help_text="Assigned to me or to one of my teams",
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="by_due", label="Due", empty_label="Any time"
    )
    date_from = django_filters.DateFilter(
        method="ends_after", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        method="starts_before", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = WorkItem
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            orgs = permissions.visible_organizations(user)
            self.filters["organization"].queryset = orgs
            self.filters["team"].queryset = permissions.visible_teams(user)
            # Read when the form is drawn, not when the filters are built: the API, exports
            # and a tree page whose filter form is kept never draw it.
            self.form.fields["assignee"].widget = forms.Select(
                choices=_ReadOnce(partial(_assignee_choices, user))
            )
        for name in ("work_type", "status", "priority"):
            self.form.fields[name].widget = forms.CheckboxSelectMultiple(
                choices=self.form.fields[name].choices
            )
        self.form.renderer = WIDGET_RENDERER

    @property
    def is_active(self) -> bool:
        """Whether any filter has a value (the tree then switches to 'matches in context')."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(v not in (None, "", [], (), False) for v in data.values())

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_assignee(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        if value == "me":
            value = getattr(self.request, "user", None)
            if value is None or not value.is_authenticated:
                return queryset.none()
        user_id = getattr(value, "pk", value)
        if not User.objects.filter(pk=user_id).exists():
            return queryset.none()
        return queryset.filter(pk__in=assigned_to(user_id))

    def assigned_to_me(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """The same "mine" as My work: assigned directly or through one of my teams."""
        user = getattr(self.request, "user", None)
        if not value:
            return queryset
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(pk__in=plate_ids(user))

    def by_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Open items by when they are due, in the office's calendar (as My work counts them)."""
        if not value:
            return queryset
        return queryset.filter(due_window(value, timezone.localdate()))

    def by_team(self, queryset: QuerySet, name: str, value: Team | None) -> QuerySet:
        return queryset.filter(pk__in=of_team(value.pk)) if value else queryset

    def ends_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Items still running on or after `value` (undated items are kept out)."""
        return queryset.filter(
            Q(due_date__gte=value) | Q(due_date__isnull=True, start_date__gte=value)
        )

    def starts_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(
            Q(start_date__lte=value) | Q(start_date__isnull=True, due_date__lte=value)
        )
