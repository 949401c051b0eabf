"""“Show older” pages by the last entry's (time, kind, id): entries that share one timestamp —
a bulk import, a legacy cut-over, a burst in the same microsecond — are split exactly at the
page boundary, so none is skipped and none is shown twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from collaboration.models import Comment
from collaboration.services import post_comment
from collaboration.stream import PAGE, load_stream
from common.services import update_work_item

pytestmark = pytest.mark.django_db
SAME_INSTANT = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30, 0, 123456), dt.UTC)


def url(item, query=""):
    return f"/oobc-management/work-items/{item.pk}/conversation/{query}"


def _conversation_at_one_instant(cast, consultation, *, comments: int, changes: int) -> None:
    """`comments` comments and `changes` title changes, then every one of them (and the
    item's creation) dated to the very same microsecond, as an import would leave them."""
    for n in range(comments):
        post_comment(cast.staff, consultation, f"Remark {n:02d}")
    for n in range(changes):
        update_work_item(cast.manager, consultation, title=f"Consultation step {n:02d}")
    Comment.objects.filter(work_item=consultation).update(created_at=SAME_INSTANT)
    consultation.history.update(history_date=SAME_INSTANT)


def _walk_pages(client, item, show: str) -> list[str]:
    """Every page through the "Show older" links; the entries as `comment-<id>`/`change-<id>`."""
    html = client.get(url(item, f"?show={show}")).content.decode()
    seen: list[str] = []
    for _ in range(20):
        seen += re.findall(r'id="(comment-\d+)" class="rounded-lg', html)
        seen += [f"change-{n}" for n in re.findall(r'data-change="(\d+)"', html)]
        links = re.findall(r'hx-get="([^"]+)"[^>]*>Show older', html)
        if not links:
            return seen
        html = client.get(links[0].replace("&amp;", "&")).content.decode()
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("show", ["all", "comments", "changes"])
def test_entries_sharing_one_timestamp_are_neither_skipped_nor_repeated_across_pages(
    client, cast, consultation, show
):
    _conversation_at_one_instant(cast, consultation, comments=PAGE + 3, changes=PAGE + 2)
    expected = {f"comment-{pk}" for pk in Comment.objects.values_list("pk", flat=True)}
    changes = {f"change-{pk}" for pk in consultation.history.values_list("history_id", flat=True)}
    expected = {"all": expected | changes, "comments": expected, "changes": changes}[show]
    assert len(expected) > PAGE  # the boundary falls inside the one instant

    client.force_login(cast.viewer)
    seen = _walk_pages(client, consultation, show)

    assert len(seen) == len(set(seen)), "an entry was shown on two pages"
    assert set(seen) == expected, f"skipped: {sorted(expected - set(seen))}"


def test_the_pages_keep_one_order_newest_first_comments_before_changes_at_a_tie(cast, consultation):
    _conversation_at_one_instant(cast, consultation, comments=PAGE + 2, changes=PAGE + 2)
    order, before = [], None
    while True:
        page = load_stream(cast.viewer, consultation, before=before)
        order += [e.cursor for e in page.entries]
        if page.older is None:
            break
        assert page.older == page.entries[-1].cursor
        before = page.older
    assert [c.key for c in order] == sorted((c.key for c in order), reverse=True)
    kinds = [c.kind for c in order]
    assert kinds == ["comment"] * (PAGE + 2) + ["change"] * len(kinds[PAGE + 2 :])
    assert len(kinds) == PAGE + 2 + consultation.history.count()


def test_an_older_link_with_only_a_time_still_pages_strictly_before_it(client, cast, consultation):
    post_comment(cast.staff, consultation, "Before the meeting")
    later = post_comment(cast.staff, consultation, "After the meeting")
    Comment.objects.filter(pk=later.pk).update(created_at=SAME_INSTANT)
    Comment.objects.exclude(pk=later.pk).update(created_at=SAME_INSTANT - dt.timedelta(hours=1))
    client.force_login(cast.viewer)
    stamp = SAME_INSTANT.isoformat().replace("+", "%2B")
    html = client.get(url(consultation, f"?show=comments&before={stamp}")).content.decode()
    assert "Before the meeting" in html and "After the meeting" not in html


@pytest.mark.parametrize(
    "query",
    [
        "?before=2026-03-02T09:30:00Z&kind=comment&id=abc",
        "?before=2026-03-02T09:30:00Z&kind=x&id=1",
        "?before=2026-02-30T09:30:00Z&kind=comment&id=1",
        "?before=2026-03-02T09:30:00Z&kind=comment&id=²",
    ],
)
def test_a_damaged_cursor_is_never_an_error(client, cast, consultation, query):
    post_comment(cast.staff, consultation, "Still here")
    client.force_login(cast.viewer)
    assert client.get(url(consultation, query)).status_code == 200
