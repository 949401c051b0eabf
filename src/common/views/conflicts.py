"""Merging an edit with a change someone else saved meanwhile, field by field.

The edit form carries, beside each field, the value the editor saw when the page was loaded
(Django's hidden initial inputs). When the save meets a newer version (optimistic locking in
`common.services`), that lets us tell apart

* fields only I changed — mine are applied,
* fields only they changed — theirs are kept (a plain "save again" used to revert them),
* fields we both changed to different values — the only real conflicts, shown to the person.

With no real conflict the merged edit is saved at once; otherwise the form comes back with
their values in every field they alone touched, so saving again cannot undo their work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms

from common.forms import DETAIL_PREFIX, WorkItemForm
from common.models import WorkItem

EMPTY = "—"


@dataclass
class Merge:
    """What a save that met someone else's newer version should do."""

    mine: set[str]
    theirs: set[str]
    conflicts: list[str]
    current_values: dict[str, Any] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def values_of(item: WorkItem) -> dict[str, Any]:
    """The item's values keyed like the edit form's fields."""
    values = WorkItemForm.initial_from(item)
    values["assignees"] = list(item.assignees.values_list("pk", flat=True))
    values["teams"] = list(item.teams.values_list("pk", flat=True))
    return values


def _seen(form: WorkItemForm, name: str) -> Any:
    """The raw value of `name` the editor saw (its hidden initial input)."""
    bound = form[name]
    return form._widget_data_value(bound.field.hidden_widget(), bound.html_initial_name)


def plan(form: WorkItemForm, current: WorkItem) -> Merge:
    """Compare what I saw, what I sent and what is saved now, field by field."""
    names = [n for n in form.fields if n != "expected_version"]
    current_values = values_of(current)
    mine = set(form.changed_data) - {"expected_version"}
    theirs = {n for n in names if form.fields[n].has_changed(current_values.get(n), _seen(form, n))}
    conflicts = [
        n
        for n in names
        if n in mine
        and n in theirs
        and form.fields[n].has_changed(current_values.get(n), form[n].data)
    ]
    return Merge(mine, theirs, conflicts, current_values)


def merged_changes(form: WorkItemForm, merge: Merge, current: WorkItem) -> dict[str, Any]:
    """Service arguments that apply only my changes on top of the current version."""
    arguments = form.service_arguments()
    changes: dict[str, Any] = {}
    detail_changes = {n[len(DETAIL_PREFIX) :] for n in merge.mine if n.startswith(DETAIL_PREFIX)}
    if "work_type" in merge.mine:
        changes["work_type"] = arguments["work_type"]
        changes["details"] = arguments["details"]
    elif detail_changes:
        changes["details"] = {
            **current.details,
            **{k: v for k, v in arguments["details"].items() if k in detail_changes},
        }
    for name in merge.mine:
        if not name.startswith(DETAIL_PREFIX) and name != "work_type":
            changes[name] = arguments[name]
    return changes


def _data_values(value: Any, *, initial: bool) -> list[str]:
    """`value` as the form would post it (a checkbox posts "on" or nothing; its hidden
    initial input posts "True"/"False")."""
    if value is None:
        return [""]
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, bool):
        if initial:
            return [str(value)]
        return ["on"] if value else []
    if isinstance(value, dt.date | dt.time):
        return [value.isoformat()]
    return [str(value)]


def rebase(form: WorkItemForm, merge: Merge, current: WorkItem) -> None:
    """Point the form at the current version: their values where only they changed something,
    mine where I did, and "what I saw" becomes what is saved now."""
    data = form.data.copy()
    for name in form.fields:
        if name == "expected_version":
            continue
        bound = form[name]
        value = merge.current_values.get(name)
        data.setlist(bound.html_initial_name, _data_values(value, initial=True))
        if name in merge.theirs and name not in merge.mine:
            data.setlist(bound.html_name, _data_values(value, initial=False))
    data["expected_version"] = str(current.version)
    form.data = data


def human(form_field: forms.Field, value: Any) -> str:
    """A value as people read it: choice labels (High, In progress), names, dates, Yes/No."""
    if value in (None, "", []):
        return EMPTY
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        ids = {str(getattr(v, "pk", v)) for v in value}
        names = [str(o) for o in form_field.queryset if str(o.pk) in ids]
        return ", ".join(names) or EMPTY
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%b %-d, %Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def conflict_rows(form: WorkItemForm, merge: Merge) -> list[tuple[str, str, str]]:
    """(label, saved by them, yours) for each field both people changed differently."""
    rows = []
    for name in merge.conflicts:
        bound = form[name]
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else bound.data
        theirs = merge.current_values.get(name)
        label = str(bound.label or name.replace("_", " ").capitalize())
        rows.append((label, human(bound.field, theirs), human(bound.field, mine)))
    return rows


def kept_labels(form: WorkItemForm, merge: Merge) -> list[str]:
    """Labels of the fields whose newer values (theirs) were kept in a merged save."""
    return [str(form[n].label) for n in form.fields if n in merge.theirs and n not in merge.mine]
