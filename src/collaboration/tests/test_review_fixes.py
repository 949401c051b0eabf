"""Edge cases found in review: each once let a person see the wrong thing or nothing at all."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from accounts.roles import STAFF, assign_role
from collaboration.attachments import attach_files
from collaboration.models import Attachment, Mention, Watch
from collaboration.services import post_comment, remove_comment, unwatch
from common.services import update_work_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_removing_a_comment_removes_its_files_too(cast, consultation):
    comment = post_comment(cast.staff, consultation, "Wrong document")
    attach_files(
        cast.staff, consultation, [SimpleUploadedFile("salaries.txt", b"x")], comment=comment
    )
    remove_comment(cast.staff, comment)
    assert not Attachment.objects.exists()


def test_nobody_attaches_files_to_someone_elses_comment(cast, consultation):
    comment = post_comment(cast.staff, consultation, "My words")
    with pytest.raises(PermissionDenied):
        attach_files(
            cast.manager, consultation, [SimpleUploadedFile("a.txt", b"x")], comment=comment
        )
    assert not Attachment.objects.exists()


def test_a_truncated_picture_is_refused_not_a_server_error(client, cast, consultation):
    out = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 200, 30)).save(out, "JPEG")
    truncated = out.getvalue()[:600]
    client.force_login(cast.staff)
    answer = client.post(
        f"/oobc-management/work-items/{consultation.pk}/conversation/files/",
        {"files": [SimpleUploadedFile("hall.jpg", truncated)]},
    )
    assert answer.status_code == 400 and "damaged" in answer.content.decode()
    assert not Attachment.objects.exists()


def test_a_username_with_a_plus_is_mentioned_whole_or_not_at_all(cast, consultation):
    ops = User.objects.create_user("sofia+ops", organization=cast.office, password="x" * 12)
    assign_role(ops, STAFF)
    post_comment(cast.manager, consultation, "@sofia+ops please check")
    assert not Mention.objects.exists()  # not taken for @sofia
    post_comment(cast.manager, consultation, 'Now @"sofia+ops" please check')
    assert Mention.objects.get().user == ops


def test_suggestions_quote_names_a_bare_mention_cannot_hold(client, cast, consultation):
    ops = User.objects.create_user("maria@field", organization=cast.office, password="x" * 12)
    assign_role(ops, STAFF)
    client.force_login(cast.manager)
    names = client.get(f"/oobc-management/work-items/{consultation.pk}/conversation/people/?q=mar")
    inserted = [r["insert"] for r in names.json()["results"]]
    assert '@"maria@field"' in inserted and "@marco" in inserted


def test_someone_who_stopped_watching_stays_stopped(
    cast, consultation, django_capture_on_commit_callbacks
):
    from collaboration.watching import watch_involved

    watch_involved([consultation.pk])  # the creator and the assignee watch it
    unwatch(cast.staff, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, consultation, status="in_progress")
    assert not Watch.objects.filter(work_item=consultation, user=cast.staff).exists()


def test_impossible_dates_and_odd_ids_are_answered_not_crashed(client, cast, consultation):
    client.force_login(cast.staff)
    base = f"/oobc-management/work-items/{consultation.pk}/conversation/"
    assert client.get(base, {"before": "2024-02-30T00:00"}).status_code == 200
    odd = client.post(base + "comments/", {"body": "Hi", "reply_to": "²"})
    assert odd.status_code == 400
    huge = client.post(base + "comments/", {"body": "Hi", "reply_to": "9" * 30})
    assert huge.status_code == 400


def test_a_refused_reply_comes_back_as_the_reply_with_its_words(client, cast, consultation):
    comment = post_comment(cast.manager, consultation, "Question")
    client.force_login(cast.staff)
    answer = client.post(
        f"/oobc-management/work-items/{consultation.pk}/conversation/comments/",
        {"body": "x" * 10_001, "reply_to": str(comment.pk)},
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert f'name="reply_to" value="{comment.pk}"' in html and "x" * 100 in html
