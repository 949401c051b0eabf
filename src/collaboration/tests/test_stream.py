"""One activity stream: comments and changes interleaved in time, filterable, paged, and read
in the same number of queries however long the conversation is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collaboration.services import post_comment
from collaboration.stream import PAGE
from common.services import update_work_item

pytestmark = pytest.mark.django_db


def url(item, query=""):
    return f"/oobc-management/work-items/{item.pk}/conversation/{query}"


def test_comments_and_changes_interleave_newest_first(client, cast, consultation):
    post_comment(cast.staff, consultation, "Venue confirmed.")
    update_work_item(cast.manager, consultation, status="in_progress")
    post_comment(cast.manager, consultation, "Thanks, started.")
    client.force_login(cast.staff)
    page = client.get(url(consultation)).content.decode()
    stream = page.split('data-testid="stream"')[1]
    order = [stream.index(t) for t in ("Thanks, started.", "status:", "Venue confirmed.")]
    assert order == sorted(order)


def test_the_stream_filters_to_comments_or_changes(client, cast, consultation):
    post_comment(cast.staff, consultation, "Venue confirmed.")
    update_work_item(cast.manager, consultation, status="in_progress")
    client.force_login(cast.staff)
    comments = client.get(url(consultation, "?show=comments")).content.decode()
    changes = client.get(url(consultation, "?show=changes")).content.decode()
    assert "Venue confirmed." in comments and 'data-testid="change"' not in comments
    assert 'data-testid="change"' in changes and 'data-testid="comment"' not in changes


def test_older_entries_come_a_page_at_a_time(client, cast, consultation):
    for n in range(PAGE + 5):
        post_comment(cast.staff, consultation, f"Note {n:02d}")
    client.force_login(cast.staff)
    first = client.get(url(consultation, "?show=comments")).content.decode()
    assert "Note 24" in first and "Note 00" not in first and "Show older" in first
    older = first.split('hx-get="')[-1].split('"')[0].replace("&amp;", "&")
    rest = client.get(older).content.decode()
    assert "Note 00" in rest and "Note 24" not in rest


def test_the_stream_costs_the_same_queries_for_10_and_200_comments(
    client, cast, consultation, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from collaboration.attachments import attach_files

    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_FILES_PER_UPLOAD = 50

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(consultation)).status_code == 200
        return len(captured)

    def conversation(comments: int, files: int) -> None:
        for n in range(comments):
            first = post_comment(cast.staff, consultation, f"Note {n} @marco")
            post_comment(cast.manager, consultation, f"Reply {n}", reply_to=first)
        attach_files(
            cast.staff,
            consultation,
            [SimpleUploadedFile(f"notes-{n}.txt", b"minutes") for n in range(files)],
            comment=first,
        )

    conversation(10, 1)
    client.force_login(cast.staff)
    client.get(url(consultation))
    few = queries()
    conversation(190, 49)
    assert queries() == few


def test_the_item_page_loads_the_conversation_section(client, cast, consultation):
    client.force_login(cast.staff)
    page = client.get(f"/oobc-management/work-items/{consultation.pk}/").content.decode()
    assert f'hx-get="/oobc-management/work-items/{consultation.pk}/conversation/"' in page
