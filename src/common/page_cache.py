"""A work page's content, kept until anything it shows changes, for those who would see it alike.

Building the tree page's content (the filter form with its people, teams and organisations, a
page of top-level rows with their assignees and edit rights) was most of the page's server
time. People come back to that page all day (after opening an item, after Back, on reload)
while nothing in it has changed. The same holds for the rows of an expanded node (its children,
or its whole subtree): a parent with a thousand children drew them all again on each opening.
Such content is therefore kept in the cache (Redis in production) under a key that names
everything it depends on:

- who may be served it (`whose`): the person, or everyone whose view cannot differ from
  theirs (managers, administrators and viewers with the same permissions), and their
  organisation and permissions (edit rights, what they may see);
- the flags (whether writes are open), the query string, today's date in the person's time
  zone (overdue marks, due windows) and the language;
- the latest change of any item the person may see and each organisation's work mark
  (`common.queries.work_changes`: deletions, names, memberships), read by one query;
- the release that draws the content, so a new release never serves what the old one drew.

Any change moves the key, so kept content is never stale, and it is never served to anyone who
could have been shown something else. What differs per response (CSRF token, CSP nonce, one-time
messages, the unread count) is drawn around the kept content by `base.html`, every time.
A key costs one query; a change anywhere in the organisation costs the next visit a build.
Of that build, the parts that show people, teams and organisations but no item (the tree
page's filter form) are kept apart under a key that follows only the work marks
(`kept_part`), so an edited item does not draw them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import django
import django_filters
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.http import HttpRequest
from django.utils import timezone, translation

from common import permissions
from obcms.flags import all_flags

from .queries.work_changes import work_moments

PREFIX = "page-content:"
#: Content larger than this is drawn every time. A page of 25 projects is about 70,000
#: characters and the expansion of a 1,000-child parent about 2.5 million, which takes 90 ms to
#: draw and a few to read back; a parent of many thousands of children is drawn each time
#: rather than held in the cache.
MAX_CHARACTERS = 4_000_000


@cache
def _code() -> str:
    """The release that draws kept content: every module and template of `common` (rows,
    filters, rules, permissions, labels) and the versions of Django and django-filter (their
    widget templates). During a rolling deploy each release keeps and serves its own."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{django.__version__} {django_filters.__version__}".encode())
    for path in sorted(here.rglob("*")):
        if path.suffix in (".py", ".html") and "tests" not in path.parts:
            digest.update(path.relative_to(here).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def whose(request: HttpRequest) -> int | str:
    """Who may be served this content: everyone of the same organisation, permissions, time
    zone and language when nothing in it depends on the person, else only the person.

    Managers and administrators may edit every item of their organisation (or all), viewers
    none: their rows look alike. A staff member may edit what they created, are assigned or
    whose team they are in, so their rows are theirs; so are "Mine" and "Assignee: me".
    """
    rights = permissions.edit_rights(request.user)
    personal_rights = rights.change and not (rights.manage_all or rights.manage_org)
    personal_query = "mine" in request.GET or "me" in request.GET.getlist("assignee")
    return request.user.pk if personal_rights or personal_query else "alike"


def content_key(request: HttpRequest, page: str) -> str:
    """The key of `page`'s content for this request (one query: the latest change)."""
    user = request.user
    basis = repr(
        (
            page,
            _code(),
            whose(request),
            user.organization_id,
            sorted(user.get_all_permissions()),
            all_flags(),
            sorted(request.GET.lists()),
            timezone.localdate(),
            timezone.get_current_timezone_name(),
            translation.get_language(),
            settings.WORK_ITEM_CHILD_TYPES,
            max((m for m in _moments(request) if m is not None), default=None),
        )
    )
    return PREFIX + hashlib.sha256(basis.encode()).hexdigest()


def _moments(request: HttpRequest) -> tuple:
    """The latest work mark and item change, read once per request for all its keys."""
    moments = getattr(request, "_work_moments", None)
    if moments is None:
        moments = request._work_moments = work_moments(request.user)
    return moments


def part_key(request: HttpRequest, part: str) -> str:
    """The key of a part that shows people, teams and organisations but no item (the tree
    page's filter form): it names the organisation, the permissions (which people, teams and
    organisations may be offered), the query without its page number (the values filled in),
    the language, the release and the latest work mark — not the latest item change, so an
    edited item leaves the part kept while a renamed person, a new team or a moved colleague
    does not."""
    user = request.user
    query = sorted((k, v) for k, v in request.GET.lists() if k != "page")
    basis = repr(
        (
            part,
            _code(),
            user.organization_id,
            sorted(user.get_all_permissions()),
            query,
            translation.get_language(),
            _moments(request)[0],
        )
    )
    return PREFIX + "part:" + hashlib.sha256(basis.encode()).hexdigest()


def kept_part(request: HttpRequest, part: str, build: Callable[[], str]) -> str:
    """`part` from the cache, else `build()`, kept (see `part_key`). A page drawn after an item
    changed thus draws only what shows items: the filter form was a quarter of the tree page."""
    html, _ = _kept(lambda: part_key(request, part), lambda: (build(), 200))
    return html


def kept_content(
    request: HttpRequest, page: str, build: Callable[[], tuple[str, int]]
) -> tuple[str, int]:
    """`page`'s content and status: kept content if nothing changed, else `build()` (kept when
    it answers 200; a refused filter is drawn again each time)."""
    return _kept(lambda: content_key(request, page), build)


def _kept(key_of: Callable[[], str], build: Callable[[], tuple[str, int]]) -> tuple[str, int]:
    """Content and status under the key `key_of()` gives, else `build()`'s, kept when it
    answers 200 and is not too large to hold. The key is not worked out when keeping is off."""
    seconds = settings.PAGE_CONTENT_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = key_of()
    html = shared_cache.get(key)
    if html is not None:
        return html, 200
    html, status = build()
    if status == 200 and len(html) <= MAX_CHARACTERS:
        shared_cache.set(key, html, seconds)
    return html, status
