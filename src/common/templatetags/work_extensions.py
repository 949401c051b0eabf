"""`{% detail_sections as sections %}`: what the installed apps add to an item's page."""

from django import template

from common.extensions import DetailSection, detail_sections

register = template.Library()


@register.simple_tag(name="detail_sections")
def detail_sections_tag() -> list[DetailSection]:
    return detail_sections()
