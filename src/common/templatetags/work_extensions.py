"""`{% detail_sections as sections %}` and `{% detail_actions as actions %}`: what the installed
apps add to an item's page."""

from django import template

from common.extensions import DetailAction, DetailSection, detail_actions, detail_sections

register = template.Library()


@register.simple_tag(name="detail_sections")
def detail_sections_tag() -> list[DetailSection]:
    return detail_sections()


@register.simple_tag(name="detail_actions")
def detail_actions_tag() -> list[DetailAction]:
    return detail_actions()
