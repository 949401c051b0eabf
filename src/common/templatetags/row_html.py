"""`{% tree_rows rows %}`: tree rows drawn by `common.row_html` inside a page's template.

The tree page, the detail page's children table and the inline-change answers all show the same
rows; they share this one renderer instead of a per-row template (see `common.row_html`)."""

from django import template
from django.utils.safestring import SafeString

from common.row_html import render_rows

register = template.Library()


@register.simple_tag(name="tree_rows")
def tree_rows_tag(rows, oob: bool = False, note: str = "", noted_pk=None) -> SafeString:
    return render_rows(rows or [], oob=bool(oob), note=note or "", noted_pk=noted_pk)
