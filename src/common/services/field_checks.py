"""Field checks for loads of many items, each distinct value checked once."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError

from common.models import WorkItem


def clean_fields_once(item: WorkItem, exclude: Collection[str], checked: dict[tuple, Any]) -> None:
    """`Model.clean_fields`, remembering each outcome for a field and a value in `checked`.

    Thousands of loaded items share a handful of statuses, priorities, dates and progress
    values; the checks of a plain field depend on its value alone, so each distinct value is
    checked once per load. Values that cannot be dictionary keys (JSON) are checked every time,
    exactly as Django does. Relations are left out: `items._NOT_CLEANED` excludes them anyway.
    """
    errors: dict[str, list] = {}
    for f in _plain_fields():
        if f.name in exclude:
            continue
        raw = getattr(item, f.attname)
        if f.blank and raw in f.empty_values:
            continue
        try:
            # Equal decimals may differ in places (1.0, 1.000), which the checks count.
            form = raw.as_tuple() if isinstance(raw, Decimal) else None
            key = (f.attname, type(raw), raw, form)
            outcome = checked.get(key, checked)
        except TypeError:  # unhashable (a JSON value): checked as Django does
            key, outcome = None, checked
        if outcome is checked:
            try:
                outcome = f.clean(raw, item)
            except ValidationError as exc:
                outcome = exc
            if key is not None:
                checked[key] = outcome
        if isinstance(outcome, ValidationError):
            errors[f.name] = outcome.error_list
        else:
            setattr(item, f.attname, outcome)
    if errors:
        raise ValidationError(errors)


@cache
def _plain_fields() -> tuple:
    """The fields `clean_fields_once` may check: stored, not generated, not relations."""
    return tuple(
        f
        for f in WorkItem._meta.concrete_fields
        if not f.generated and not f.is_relation and not f.primary_key
    )
