"""Comments are Markdown, rendered on the server and sanitised before anyone sees them.

markdown-it-py renders CommonMark with tables, strikethrough and task lists; raw HTML in the
source is never passed through (it is shown as text), and nh3 then keeps only an allow-list of
tags and attributes and only http(s)/mailto links, so nothing a person types can run script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

_MD = MarkdownIt("gfm-like", {"html": False, "linkify": False, "typographer": False}).use(
    tasklists_plugin
)
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "input",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "input": {"type", "checked", "disabled"},
    "ul": {"class"},
    "li": {"class"},
}
#: `@username`, or `@"Team or person name"` for names with spaces, `@` or `+` in them.
MENTION = re.compile(
    r'(?<![\w@])@(?:"(?P<quoted>[^"\n]{1,150})"|(?P<word>[\w.\-]{1,150})(?![\w+@]))'
)
#: What a bare (unquoted) mention may hold.
MENTION_WORD = re.compile(r"[\w.\-]{1,150}")


@dataclass(frozen=True)
class Rendered:
    html: str
    mentioned: list[str]


def render(source: str) -> str:
    html = _MD.render(source)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )


def mentioned_names(source: str) -> list[str]:
    """Names after @, in order, without repeats (code spans and blocks are not mentions)."""
    without_code = re.sub(r"```.*?```|`[^`\n]*`", " ", source, flags=re.DOTALL)
    names: list[str] = []
    for match in MENTION.finditer(without_code):
        name = match["quoted"].strip() if match["quoted"] else match["word"].rstrip(".")
        if name and name not in names:
            names.append(name)
    return names
