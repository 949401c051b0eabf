"""Type-specific details of a work item, validated per type.

Each type has a small schema: the keys it may carry and what each value must look like. Values
are normalised on the way in (numbers to numbers, decimals to strings with two places), so the
JSON column always holds clean data and the same input always stores the same value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

Normaliser = Callable[[Any], Any]


@dataclass(frozen=True)
class DetailField:
    label: str
    normalise: Normaliser
    help: str = ""


def _text(max_length: int) -> Normaliser:
    def normalise(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationError("Enter text.")
        value = value.strip()
        if len(value) > max_length:
            raise ValidationError(f"At most {max_length} characters.")
        return value

    return normalise


def _choice(*choices: str) -> Normaliser:
    def normalise(value: Any) -> str:
        if value in ("", None):
            return ""
        if value not in choices:
            raise ValidationError(f"Choose one of: {', '.join(choices)}.")
        return value

    return normalise


def _integer(minimum: int, maximum: int) -> Normaliser:
    def normalise(value: Any) -> int | None:
        if value in ("", None):
            return None
        if isinstance(value, bool):
            raise ValidationError("Enter a whole number.")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError("Enter a whole number.") from None
        if not minimum <= number <= maximum:
            raise ValidationError(f"Enter a number from {minimum} to {maximum}.")
        return number

    return normalise


def _decimal(max_digits: int = 14) -> Normaliser:
    limit = Decimal(10) ** (max_digits - 2)

    def normalise(value: Any) -> str | None:
        if value in ("", None):
            return None
        if isinstance(value, bool):
            raise ValidationError("Enter an amount.")
        try:
            number = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise ValidationError("Enter an amount, e.g. 250000.00.") from None
        if not number.is_finite() or number < 0 or number >= limit:
            raise ValidationError("Enter a non-negative amount.")
        return str(number.quantize(Decimal("0.01")))

    return normalise


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("", None, "0", "false", "off", 0):
        return False
    if value in ("1", "true", "on", 1):
        return True
    raise ValidationError("Enter yes or no.")


def _url(value: Any) -> str:
    text = _text(500)(value)
    if text:
        URLValidator(schemes=["http", "https"])(text)
    return text


WORKFLOW_STAGES = (
    "need_identification",
    "need_validation",
    "policy_linkage",
    "mao_coordination",
    "budget_planning",
    "approval",
    "implementation",
    "monitoring",
    "completion",
)
EVENT_TYPES = (
    "meeting",
    "workshop",
    "consultation",
    "training",
    "field_visit",
    "conference",
    "cultural",
    "religious",
    "disaster",
    # The rest of the old coordination calendar's types, so migrated activities keep theirs.
    "courtesy_call",
    "forum",
    "seminar",
    "assessment",
    "validation",
    "orientation",
    "briefing",
    "planning",
    "review",
    "other",
)
TASK_DOMAINS = (
    "general",
    "assessment",
    "coordination",
    "monitoring",
    "policy",
    "planning",
    "services",
    "communities",
    "research",
    "administrative",
    "budget",
    # Domains of the old staff task tracker.
    "mana",
    "municipal",
    "data",
    "ai",
    "project_central",
)

_PROJECT: dict[str, DetailField] = {
    "objectives": DetailField("Objectives", _text(5000)),
    "workflow_stage": DetailField("Workflow stage", _choice(*WORKFLOW_STAGES)),
    "estimated_budget": DetailField("Estimated budget (PHP)", _decimal()),
    "budget_approved": DetailField("Budget approved", _boolean),
    "funding_source": DetailField("Funding source", _text(255)),
    "fiscal_year": DetailField("Fiscal year", _integer(2000, 2100)),
}
_ACTIVITY: dict[str, DetailField] = {
    "event_type": DetailField("Event type", _choice(*EVENT_TYPES)),
    "venue": DetailField("Venue", _text(255)),
    "address": DetailField("Address", _text(5000)),
    "is_virtual": DetailField("Virtual", _boolean),
    "virtual_platform": DetailField("Virtual platform", _text(100)),
    "virtual_link": DetailField("Meeting link", _url),
    "virtual_meeting_id": DetailField("Meeting ID", _text(100)),
    "virtual_passcode": DetailField("Meeting passcode", _text(50)),
    "expected_participants": DetailField("Expected participants", _integer(0, 1_000_000)),
    "actual_participants": DetailField("Actual participants", _integer(0, 1_000_000)),
    "objectives": DetailField("Objectives", _text(5000)),
}
_TASK: dict[str, DetailField] = {
    "domain": DetailField("Domain", _choice(*TASK_DOMAINS)),
    "deliverable_type": DetailField("Deliverable", _text(100)),
    "estimated_hours": DetailField("Estimated hours", _decimal(8)),
    "actual_hours": DetailField("Actual hours", _decimal(8)),
}

DETAIL_SCHEMAS: dict[str, dict[str, DetailField]] = {
    "project": _PROJECT,
    "sub_project": _PROJECT,
    "activity": _ACTIVITY,
    "sub_activity": _ACTIVITY,
    "task": _TASK,
    "subtask": _TASK,
}


def clean_details(work_type: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate and normalise `details` for `work_type`; empty values are dropped.

    Raises a ValidationError keyed `details` whose messages name the offending key, so a form
    or the API can show exactly which detail is wrong.
    """
    if details is None:
        return {}
    if not isinstance(details, Mapping):
        raise ValidationError({"details": "Details must be an object of named values."})
    schema = DETAIL_SCHEMAS[work_type]
    errors: list[str] = []
    cleaned: dict[str, Any] = {}
    for key, value in details.items():
        spec = schema.get(key)
        if spec is None:
            allowed = ", ".join(sorted(schema))
            errors.append(f"{key}: not a detail of a {work_type.replace('_', '-')} ({allowed}).")
            continue
        try:
            normalised = spec.normalise(value)
        except ValidationError as exc:
            errors.append(f"{key}: {' '.join(exc.messages)}")
            continue
        if normalised not in ("", None, False):
            cleaned[key] = normalised
    if errors:
        raise ValidationError({"details": errors})
    return cleaned
