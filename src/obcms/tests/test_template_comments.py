"""Notes left in templates for developers never show on a page.

Django's `{# … #}` comment ends with its line: one that runs over several lines is drawn as
text. The tree page showed such a note above its heading ("The tree page's content, kept by
common.page_cache …") to every visitor until this was checked.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template.utils import get_app_template_dirs

#: The source tree: the project's own templates, not Django's or a library's.
SRC = Path(__file__).resolve().parents[2]
OPENED = re.compile(r"\{#(?!.*#\})")


def our_templates() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(d) for d in get_app_template_dirs("templates")]
    src = SRC.resolve()
    return [
        path
        for root in roots
        if root.resolve().is_relative_to(src)
        for path in root.rglob("*.html")
    ]


def test_no_template_comment_runs_over_several_lines():
    templates = our_templates()
    assert len(templates) > 50  # the project's templates were found
    unclosed = [
        f"{path.relative_to(SRC)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OPENED.search(line)
    ]
    assert unclosed == [], "use {% comment %} … {% endcomment %} for notes over several lines"


def test_the_tree_page_shows_no_template_source(client, cast):
    client.force_login(cast.manager)
    for params in ({}, {"q": "anything"}):
        html = client.get("/oobc-management/work-items/", params).content.decode()
        assert "{#" not in html and "#}" not in html and "{%" not in html
