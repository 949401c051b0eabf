"""`{{ rule|repeat_in_words }}`: a stored RRULE as the sentence people read on item pages."""

from __future__ import annotations

from django import template

from common.calendar.rule_builder import describe

register = template.Library()


@register.filter
def repeat_in_words(rule: str) -> str:
    """'Every 2 weeks on Mon and Wed, 6 times'; a rule the builder cannot show is quoted."""
    return describe(rule or "")
