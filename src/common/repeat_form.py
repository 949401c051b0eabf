"""The repeat builder of the work item form: choices in words that write the RRULE.

It is a front for the one stored field, `recurrence_rule`; the item form asks it which rule to
save (`RepeatBuilderForm.rule_for`). Without JavaScript it works as plain fields; with it,
`static/js/repeat.js` keeps the builder, the raw rule and the sentence in step as people click.

Which one wins when both are sent: the raw rule when the person edited it (it differs from the
rule the page was drawn with, kept in the hidden `shown` field) or chose "Custom rule"; the
builder otherwise. With JavaScript both always agree, so the question only arises without it.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .calendar.recurrence import MAX_COUNT, normalise_rule
from .calendar.rule_builder import (
    ORDINALS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    RepeatParts,
    parts_from_rule,
    rule_from_parts,
)

PREFIX = "repeat"
NONE, CUSTOM = "none", "custom"
FREQ_CHOICES = [
    (NONE, "Does not repeat"),
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("yearly", "Yearly"),
    (CUSTOM, "Custom rule (written below)"),
]
MAX_INTERVAL = 999


class RepeatBuilderForm(forms.Form):
    """Every N days / weeks on weekdays / months on a day or the nth weekday / years; an end."""

    freq = forms.ChoiceField(choices=FREQ_CHOICES, initial=NONE, label="Repeats")
    interval = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
        label="Every",
        error_messages={
            "min_value": "Repeat at least every 1.",
            "max_value": f"Repeat at most every {MAX_INTERVAL}.",
            "invalid": "Enter how often as a whole number, e.g. 2.",
        },
    )
    weekdays = forms.MultipleChoiceField(
        required=False,
        choices=[(d, WEEKDAY_NAMES[d][0]) for d in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
        label="On",
    )
    monthly_by = forms.ChoiceField(
        choices=[("day", "On a day of the month"), ("weekday", "On a weekday of the month")],
        initial="day",
        required=False,
        widget=forms.RadioSelect,
        label="Which day of the month",
    )
    month_day = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=31,
        label="Day of the month",
        help_text="Empty: the start date's day.",
        error_messages={
            "min_value": "Choose a day from 1 to 31.",
            "max_value": "Choose a day from 1 to 31.",
            "invalid": "Choose a day from 1 to 31.",
        },
    )
    nth = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=1,
        choices=[(n, w.capitalize()) for n, w in ORDINALS.items()],
        initial=1,
    )
    nth_weekday = forms.ChoiceField(
        required=False,
        choices=[(d, WEEKDAY_NAMES[d][1]) for d in WEEKDAYS],
        initial="MO",
        label="Weekday",
    )
    ends = forms.ChoiceField(
        choices=[("never", "Never"), ("on", "On a date"), ("after", "After a number of times")],
        initial="never",
        required=False,
        widget=forms.RadioSelect,
        label="Ends",
    )
    until = forms.DateField(
        required=False,
        label="Last date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the last date as YYYY-MM-DD."},
    )
    count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        label="Times",
        error_messages={
            "min_value": "Repeat at least once.",
            "max_value": f"At most {MAX_COUNT} times.",
            "invalid": "Enter the number of times as a whole number.",
        },
    )
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rule: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", PREFIX)
        kwargs.setdefault("initial", self.initial_for(rule))
        super().__init__(*args, **kwargs)
        self.fields["nth"].label = "Which one"
        self.fields["weekdays"].widget.attrs["class"] = "weekday-choice"

    @staticmethod
    def prefix_name(name: str) -> str:
        """The posted name of a builder field, e.g. `repeat-freq`."""
        return f"{PREFIX}-{name}"

    @staticmethod
    def initial_for(rule: str) -> dict[str, Any]:
        """Builder fields for a stored rule: 'none', its parts, or 'custom' when it says more."""
        rule = normalise_rule(rule or "")
        if not rule:
            return {"freq": NONE, "shown": ""}
        parts = parts_from_rule(rule)
        if parts is None:
            return {"freq": CUSTOM, "shown": rule}
        values = dict(vars(parts))
        return {**values, "shown": rule}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        freq = data.get("freq")
        if freq in (None, NONE, CUSTOM):
            # The builder's other fields say nothing then; a stray value must not block a save.
            for name in [n for n in self._errors if n != "freq"]:
                del self._errors[name]
            return data
        if data.get("ends") == "on" and not data.get("until") and "until" not in self.errors:
            self.add_error("until", "Choose the date of the last repeat, or choose “Never”.")
        if data.get("ends") == "after" and not data.get("count") and "count" not in self.errors:
            self.add_error("count", "Enter how many times it happens, or choose “Never”.")
        return data

    def parts(self) -> RepeatParts:
        data = self.cleaned_data
        return RepeatParts(
            freq=data["freq"],
            interval=data.get("interval") or 1,
            weekdays=list(data.get("weekdays") or []),
            monthly_by=data.get("monthly_by") or "day",
            month_day=data.get("month_day"),
            nth=data.get("nth") or 1,
            nth_weekday=data.get("nth_weekday") or "MO",
            ends=data.get("ends") or "never",
            until=data.get("until"),
            count=data.get("count"),
        )

    def rule_for(self, raw: str) -> str:
        """The rule to save, given the raw rule that was posted beside the builder.

        Call only after `is_valid()`. The raw rule wins when the person chose "Custom rule" or
        edited it by hand; otherwise the builder's choices are written as an RRULE.
        """
        freq = self.cleaned_data["freq"]
        edited = normalise_rule(raw) != normalise_rule(self.cleaned_data["shown"])
        if freq == CUSTOM or edited:
            return raw
        if freq == NONE:
            return ""
        return rule_from_parts(self.parts())

    def error_summary(self) -> str:
        """One sentence for the raw rule's field, pointing at the builder's own messages."""
        return "Check the repeat settings: " + " ".join(
            str(message) for messages in self.errors.values() for message in messages
        )
