"""The conversation through the API: comments, watchers and mention search, with the same
rules as the pages."""

import pytest
from rest_framework.test import APIClient

from collaboration.models import Comment, Watch
from collaboration.services import post_comment

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def comments_url(item, pk=None):
    return f"/api/v1/work-items/{item.pk}/comments/" + (f"{pk}/" if pk else "")


def test_staff_comment_and_read_the_thread(cast, consultation):
    created = api(cast.staff).post(
        comments_url(consultation), {"body": "**Hall** booked"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["body_html"] == "<p><strong>Hall</strong> booked</p>\n"
    listed = api(cast.viewer).get(comments_url(consultation)).json()
    assert [c["body"] for c in listed["results"]] == ["**Hall** booked"]


def test_bad_input_is_a_400_with_field_messages(cast, consultation):
    client = api(cast.staff)
    assert client.post(comments_url(consultation), {"body": ""}, format="json").json() == {
        "body": ["Write something first."]
    }
    wrong_reply = client.post(
        comments_url(consultation), {"body": "x", "reply_to": 999999}, format="json"
    )
    assert wrong_reply.status_code == 400 and "reply_to" in wrong_reply.json()
    too_big = client.post(
        comments_url(consultation), {"body": "x", "reply_to": 10**30}, format="json"
    )
    assert too_big.status_code == 400
    assert not Comment.objects.exists()


def test_a_viewer_may_not_comment_and_another_organisation_sees_nothing(cast, consultation):
    assert (
        api(cast.viewer).post(comments_url(consultation), {"body": "x"}, format="json").status_code
        == 403
    )
    comment = post_comment(cast.staff, consultation, "Internal")
    partner = api(cast.partner_staff)
    assert partner.get(comments_url(consultation)).status_code == 404
    assert partner.get(comments_url(consultation, comment.pk)).status_code == 404
    assert partner.post(comments_url(consultation), {"body": "x"}, format="json").status_code == 404
    assert partner.delete(comments_url(consultation, comment.pk)).status_code == 404
    assert partner.get(f"/api/v1/mentions/?user={cast.staff.pk}").json()["results"] == []


def test_authors_edit_and_remove_through_the_api(cast, consultation):
    comment = post_comment(cast.staff, consultation, "Frist")
    assert (
        api(cast.manager)
        .patch(comments_url(consultation, comment.pk), {"body": "x"}, format="json")
        .status_code
        == 403
    )
    edited = api(cast.staff).patch(
        comments_url(consultation, comment.pk), {"body": "First"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["edited_at"]
    assert api(cast.staff).delete(comments_url(consultation, comment.pk)).status_code == 204
    assert api(cast.staff).get(comments_url(consultation, comment.pk)).json()["deleted"] is True


def test_watch_and_unwatch_through_the_api(cast, consultation):
    url = f"/api/v1/work-items/{consultation.pk}/watchers/"
    assert api(cast.viewer).post(url, {"subtree": True}, format="json").status_code == 201
    assert Watch.objects.get(user=cast.viewer).subtree is True
    assert [w["user"] for w in api(cast.viewer).get(url).json()] == ["victor"]
    assert api(cast.viewer).delete(url).status_code == 204
    assert not Watch.objects.filter(user=cast.viewer).exists()
    assert api(cast.partner_staff).post(url, {}, format="json").status_code == 404


def test_mentions_can_be_searched(cast, consultation):
    post_comment(cast.manager, consultation, "@sofia please book the hall")
    post_comment(cast.manager, consultation, 'Over to @"Field Coordination"')
    post_comment(cast.manager, consultation, "No mention here")
    mine = api(cast.staff).get("/api/v1/mentions/").json()["results"]
    assert [c["body"] for c in mine] == ["@sofia please book the hall"]
    team = api(cast.manager).get(f"/api/v1/mentions/?team={cast.field_team.pk}").json()["results"]
    assert [c["body"] for c in team] == ['Over to @"Field Coordination"']
    assert api(cast.staff).get("/api/v1/mentions/?user=abc").status_code == 400


def test_files_through_the_api(cast, consultation, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    url = f"/api/v1/work-items/{consultation.pk}/attachments/"
    made = api(cast.staff).post(
        url, {"files": [SimpleUploadedFile("agenda.txt", b"Agenda")]}, format="multipart"
    )
    assert made.status_code == 201
    [entry] = made.json()
    assert (entry["original_name"], entry["content_type"]) == ("agenda.txt", "text/plain")
    listed = api(cast.viewer).get(url).json()["results"]
    assert [f["original_name"] for f in listed] == ["agenda.txt"]
    refused = api(cast.staff).post(
        url, {"files": [SimpleUploadedFile("x.png", b"MZ\x90\x00")]}, format="multipart"
    )
    assert refused.status_code == 400 and "files" in refused.json()
    assert api(cast.partner_staff).get(url).status_code == 404
    assert api(cast.viewer).delete(f"{url}{entry['id']}/").status_code == 403
    assert api(cast.staff).delete(f"{url}{entry['id']}/").status_code == 204
