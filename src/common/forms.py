"""Forms for work item pages. They collect input; `common.services` decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Team, User
from obcms.ids import MAX_ID, BoundedModelMultipleChoiceField

from .calendar.palette import PICKER_COLOURS
from .calendar.rule_builder import describe
from .details import DETAIL_SCHEMAS, EVENT_TYPES, TASK_DOMAINS, WORKFLOW_STAGES
from .models import Priority, ProgressMode, Status, WorkItem
from .repeat_form import RepeatBuilderForm
from .services.items import EDITABLE_FIELDS
from .services.rules import type_label

DETAIL_PREFIX = "details__"


_DETAIL_CHOICES = {
    "event_type": EVENT_TYPES,
    "workflow_stage": WORKFLOW_STAGES,
    "domain": TASK_DOMAINS,
}


def _detail_widget(key: str) -> forms.Field:
    if key in _DETAIL_CHOICES:
        return forms.ChoiceField(
            required=False,
            choices=[("", "—")]
            + [(value, value.replace("_", " ").capitalize()) for value in _DETAIL_CHOICES[key]],
        )
    if key in ("is_virtual", "budget_approved"):
        return forms.BooleanField(required=False)
    if key in ("objectives", "address"):
        return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    if key in ("expected_participants", "actual_participants", "fiscal_year"):
        return forms.IntegerField(required=False)
    return forms.CharField(required=False)


class SwatchSelect(forms.RadioSelect):
    """Radio buttons drawn as colour swatches: arrow keys move between them, each has a name."""

    template_name = "common/widgets/swatches.html"


class WorkItemForm(forms.Form):
    """Create or edit one item; the type choices are only those the tree rules allow."""

    work_type = forms.ChoiceField(label="Type")
    title = forms.CharField(max_length=500)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(choices=Status.choices, initial=Status.NOT_STARTED)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MEDIUM)
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    dates_from_children = forms.BooleanField(
        required=False,
        label="Dates follow its children",
        help_text="Starts on its earliest child's start and is due on its latest child's due date.",
    )
    progress_mode = forms.ChoiceField(
        choices=ProgressMode.choices, initial=ProgressMode.AUTO, label="Progress is"
    )
    progress = forms.IntegerField(min_value=0, max_value=100, initial=0, label="Progress (%)")
    weight = forms.IntegerField(
        min_value=1,
        max_value=1000,
        initial=1,
        help_text="How much this item counts in its parent's progress.",
    )
    assignees = BoundedModelMultipleChoiceField(queryset=User.objects.none(), required=False)
    teams = BoundedModelMultipleChoiceField(queryset=Team.objects.none(), required=False)
    allocated_budget = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0, label="Allocated budget (PHP)"
    )
    actual_expenditure = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        label="Actual expenditure (PHP)",
    )
    is_calendar_visible = forms.BooleanField(
        required=False, initial=True, label="Show on the calendar"
    )
    calendar_color = forms.ChoiceField(
        required=False,
        label="Calendar colour",
        widget=SwatchSelect,
        error_messages={"invalid_choice": "Choose one of the colours shown."},
    )
    recurrence_rule = forms.CharField(
        required=False,
        max_length=500,
        label="Rule (RFC 5545, for experts)",
        help_text="Written by the choices above; or write your own, e.g. "
        "FREQ=WEEKLY;BYDAY=MO;COUNT=10 or FREQ=MONTHLY;UNTIL=20271231.",
    )
    recurrence_exdates = forms.CharField(
        required=False,
        label="Skip these dates",
        help_text="Dates of the series that do not happen, e.g. 2026-12-25, 2027-01-01.",
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        organization_id: int,
        type_choices: list[str],
        detail_type: str,
        rolled_up_from: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_type"].choices = [(t, type_label(t)) for t in type_choices]
        self._set_up_colours()
        self._set_up_progress(rolled_up_from)
        self._set_up_dates(rolled_up_from)
        self._set_up_repeat()
        self.fields["assignees"].queryset = User.objects.filter(
            organization_id=organization_id, is_active=True
        ).order_by("first_name", "username")
        self.fields["teams"].queryset = Team.objects.filter(
            organization_id=organization_id, is_active=True
        )
        self.detail_keys = list(DETAIL_SCHEMAS[detail_type])
        self.detail_type_label = type_label(detail_type)
        for key, spec in DETAIL_SCHEMAS[detail_type].items():
            field = _detail_widget(key)
            field.label = spec.label
            self.fields[DETAIL_PREFIX + key] = field
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "h-4 w-4")

    def _set_up_colours(self) -> None:
        """The palette as choices; an older colour outside it stays choosable, so edits keep it."""
        choices = [("", "The type's colour"), *PICKER_COLOURS]
        current = (self.initial.get("calendar_color") or "").upper()
        if current and current not in dict(choices):
            choices.append((current, f"Current colour {current}"))
        if current:
            self.initial["calendar_color"] = current
        self.fields["calendar_color"].choices = choices

    def _set_up_progress(self, rolled_up_from: int) -> None:
        """Progress rolled up from children cannot be typed over: lock it and say why.

        Locked (Django's `disabled`, so what the browser sends is ignored) while the mode is
        automatic; a person who switches to "set by hand" in the same save gets the field back
        (the page's script enables it as they switch; without script it keeps today's value).
        """
        self.rolled_up_from = rolled_up_from
        if not rolled_up_from:
            return
        field = self.fields["progress"]
        noun = "child" if rolled_up_from == 1 else f"{rolled_up_from} children"
        field.help_text = (
            f"Rolled up from its {'only ' if rolled_up_from == 1 else ''}{noun} — "
            "switch to set by hand to change it."
        )
        mode = self.data.get("progress_mode") if self.is_bound else None
        mode = mode or self.initial.get("progress_mode") or ProgressMode.AUTO
        field.required = False
        field.disabled = mode == ProgressMode.AUTO
        if field.disabled:
            field.widget.attrs["aria-describedby"] = "progress-reason"

    def _set_up_dates(self, children: int) -> None:
        """ "Dates follow its children" is offered to items that have children (or had it on).

        While it is on, the dates are the children's span: the date fields are locked (Django's
        `disabled`, so what the browser sends is ignored) and say why.
        """
        following = self._flag("dates_from_children")
        if not children and not self.initial.get("dates_from_children"):
            del self.fields["dates_from_children"]
            return
        if children and following:
            for name in ("start_date", "due_date"):
                field = self.fields[name]
                field.disabled = True
                field.help_text = "Set by its children (earliest start, latest due)."

    def _flag(self, name: str) -> bool:
        if self.is_bound:
            return self.fields[name].widget.value_from_datadict(self.data, self.files, name)
        return bool(self.initial.get(name))

    def _set_up_repeat(self) -> None:
        """The builder in front of `recurrence_rule`: its choices become the rule to validate."""
        rule = self.initial.get("recurrence_rule") or ""
        posted = self.is_bound and (RepeatBuilderForm.prefix_name("freq") in self.data)
        self.repeat = RepeatBuilderForm(self.data if posted else None, rule=rule)
        if posted and self.repeat.is_valid():
            raw = self.data.get("recurrence_rule", "")
            composed = self.repeat.rule_for(raw)
            # The page (and a conflict merge) must see the rule that will be saved.
            self.data = self.data.copy()
            self.data["recurrence_rule"] = composed
            self.data[RepeatBuilderForm.prefix_name("shown")] = composed
            self.repeat.data = self.data

    def rebuild_repeat(self) -> None:
        """Draw the builder from the rule now in the form (after a conflict put theirs there)."""
        self.repeat = RepeatBuilderForm(rule=str(self.data.get("recurrence_rule") or ""))

    def clean_progress(self) -> int | None:
        value = self.cleaned_data.get("progress")
        return self.initial.get("progress", 0) if value is None else value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.repeat.is_bound and self.repeat.errors:
            self.add_error("recurrence_rule", self.repeat.error_summary())
        return data

    @property
    def repeat_words(self) -> str:
        """The rule in the form, in words ('Every 2 weeks on Mon and Wed, 6 times')."""
        return describe(str(self["recurrence_rule"].value() or ""))

    @property
    def open_sections(self) -> dict[str, bool]:
        """Folded sections that open by themselves: they hold a value or an error."""
        sections = {
            "details": ["description", *(DETAIL_PREFIX + k for k in self.detail_keys)],
            "progress": ["progress_mode", "progress", "weight"],
            "repeat": ["recurrence_rule", "recurrence_exdates"],
            "appearance": ["calendar_color", "is_calendar_visible"],
            "budget": ["allocated_budget", "actual_expenditure"],
        }
        return {
            key: any(self._holds_something(name) for name in names)
            for key, names in sections.items()
        }

    def _holds_something(self, name: str) -> bool:
        bound = self[name]
        if bound.errors:
            return True
        value = bound.value()
        default = self.fields[name].initial
        if name == "progress" and self.rolled_up_from:
            return False
        if isinstance(self.fields[name], forms.BooleanField):
            return bool(value) != bool(default)
        if value in (None, "", [], False):
            return False
        return str(value) != str(default) if default is not None else True

    @classmethod
    def initial_from(cls, item: WorkItem) -> dict[str, Any]:
        plain = EDITABLE_FIELDS - {"details", "recurrence_exdates"}
        data = {name: getattr(item, name) for name in plain}
        data["recurrence_exdates"] = ", ".join(item.recurrence_exdates)
        # The palette's spelling (#DB2777), so an older lower-case colour compares equal in a merge.
        data["calendar_color"] = (item.calendar_color or "").upper()
        data["expected_version"] = item.version
        data.update({DETAIL_PREFIX + k: v for k, v in item.details.items()})
        return data

    def detail_fields(self):
        return [self[DETAIL_PREFIX + key] for key in self.detail_keys]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data shaped for `create_work_item` / `update_work_item`."""
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        if self.fields["progress"].disabled:
            data.pop("progress", None)  # rolled up: the service keeps the computed value
        for name in ("start_date", "due_date"):
            if self.fields[name].disabled:
                data.pop(name, None)  # the children's span: the service derives it
        details = {
            k[len(DETAIL_PREFIX) :]: data.pop(k) for k in list(data) if k.startswith(DETAIL_PREFIX)
        }
        data["details"] = details
        data["assignees"] = list(data["assignees"])
        data["teams"] = list(data["teams"])
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's messages on the matching fields (details on their own field)."""
        for field, messages in error.message_dict.items():
            for message in messages:
                if field == "details" and ":" in message:
                    key, text = message.split(":", 1)
                    target = DETAIL_PREFIX + key.strip()
                    if target in self.fields:
                        self.add_error(target, text.strip())
                        continue
                self.add_error(field if field in self.fields else None, message)


class QuickAddForm(forms.Form):
    """The one-line 'add a child' row of the tree."""

    title = forms.CharField(max_length=500)
    work_type = forms.ChoiceField(label="Type")

    def __init__(self, *args: Any, type_choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_type"].choices = [(t, type_label(t)) for t in type_choices]


class MoveForm(forms.Form):
    """Where an item goes: a parent (empty for the top level) and a place among siblings."""

    parent = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    index = forms.IntegerField(required=False, min_value=0)
    expected_version = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class DeleteForm(forms.Form):
    CHOICES = [
        ("cascade", "Delete it with everything below it"),
        ("reparent", "Move its children to its parent, then delete it"),
    ]
    children = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
