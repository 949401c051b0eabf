"""Comments on an item: Markdown rendered safely, edited and removed by the right people."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from collaboration.models import Comment
from collaboration.services import edit_comment, post_comment, remove_comment

pytestmark = pytest.mark.django_db
TABLE = "| day | room |\n|---|---|\n| 1 | A |"


def url(item, suffix=""):
    return f"/oobc-management/work-items/{item.pk}/conversation/{suffix}"


def test_a_staff_member_comments_in_markdown(client, cast, consultation):
    client.force_login(cast.staff)
    answer = client.post(
        url(consultation, "comments/"),
        {"body": "## Venue\n\n- [x] hall booked\n- [ ] invitations\n\n" + TABLE},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<h2>Venue</h2>" in html
    assert 'type="checkbox"' in html and "<table>" in html
    assert Comment.objects.get().author == cast.staff


def test_script_and_javascript_links_never_reach_the_page(client, cast, consultation):
    client.force_login(cast.staff)
    body = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"
    html = client.post(url(consultation, "comments/"), {"body": body}).content.decode()
    stored = Comment.objects.get().body_html
    shown = html.split('data-testid="stream"')[1]
    for dangerous in ("<script", "<img", 'href="javascript'):
        assert dangerous not in stored and dangerous not in shown
    assert "&lt;script&gt;" in stored and "&lt;img src=x onerror=alert(2)&gt;" in stored


def test_an_empty_or_oversized_comment_is_refused_with_a_sentence(client, cast, consultation):
    client.force_login(cast.staff)
    empty = client.post(url(consultation, "comments/"), {"body": "   "})
    huge = client.post(url(consultation, "comments/"), {"body": "x" * 10_001})
    assert empty.status_code == 400 and "Write something first." in empty.content.decode()
    assert huge.status_code == 400 and "at most 10,000 characters" in huge.content.decode()
    assert not Comment.objects.exists()


def test_a_viewer_reads_the_conversation_but_cannot_comment(client, cast, consultation):
    post_comment(cast.staff, consultation, "Hall booked.")
    client.force_login(cast.viewer)
    page = client.get(url(consultation)).content.decode()
    assert "Hall booked." in page
    assert 'name="body"' not in page
    assert client.post(url(consultation, "comments/"), {"body": "Me too"}).status_code == 403
    assert Comment.objects.count() == 1


def test_another_organisation_can_neither_read_nor_post(client, cast, consultation):
    comment = post_comment(cast.staff, consultation, "Internal note")
    client.force_login(cast.partner_staff)
    assert client.get(url(consultation)).status_code == 404
    assert client.post(url(consultation, "comments/"), {"body": "hello"}).status_code == 404
    assert client.post(url(consultation, f"comments/{comment.pk}/remove/")).status_code == 404
    assert client.post(url(consultation, "preview/"), {"body": "x"}).status_code == 404
    assert Comment.objects.get().body == "Internal note"


def test_authors_edit_their_own_words_and_an_edited_mark_shows(client, cast, consultation):
    comment = post_comment(cast.staff, consultation, "Hall booked for 40.")
    with pytest.raises(PermissionDenied):
        edit_comment(cast.manager, comment, "Changed by someone else")
    client.force_login(cast.staff)
    page = client.post(
        url(consultation, f"comments/{comment.pk}/edit/"), {"body": "Hall booked for 60."}
    ).content.decode()
    assert "Hall booked for 60." in page and 'data-testid="edited"' in page


def test_a_removed_comment_keeps_its_place_and_loses_its_words(client, cast, consultation):
    comment = post_comment(cast.staff, consultation, "Wrong room number")
    reply = post_comment(cast.manager, consultation, "Which one?", reply_to=comment)
    remove_comment(cast.staff, comment)
    client.force_login(cast.manager)
    page = client.get(url(consultation)).content.decode()
    assert "Comment deleted." in page and "Wrong room number" not in page
    assert "Which one?" in page  # the thread stays readable
    assert reply.reply_to_id == comment.pk


def test_managers_remove_any_comment_of_their_organisation_staff_do_not(cast, consultation):
    comment = post_comment(cast.staff, consultation, "Off-topic")
    other = post_comment(cast.manager, consultation, "Manager's note")
    with pytest.raises(PermissionDenied):
        remove_comment(cast.staff, other)
    remove_comment(cast.manager, comment)
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None


def test_replies_are_one_level_deep(cast, consultation):
    first = post_comment(cast.staff, consultation, "Question")
    answer = post_comment(cast.manager, consultation, "Answer", reply_to=first)
    follow_up = post_comment(cast.staff, consultation, "Thanks", reply_to=answer)
    assert follow_up.reply_to_id == first.pk


def test_a_reply_to_another_items_comment_is_refused(cast, consultation):
    from testing.builders import item

    other = item("task", "Elsewhere", organization=cast.office, actor=cast.manager)
    comment = post_comment(cast.manager, other, "Here")
    with pytest.raises(ValidationError):
        post_comment(cast.manager, consultation, "There", reply_to=comment)


def test_each_comment_has_a_permalink(client, cast, consultation):
    comment = post_comment(cast.staff, consultation, "Link me")
    client.force_login(cast.staff)
    page = client.get(url(consultation)).content.decode()
    assert f'id="comment-{comment.pk}"' in page and f'href="#comment-{comment.pk}"' in page


def test_the_preview_is_rendered_by_the_same_sanitiser(client, cast, consultation):
    client.force_login(cast.staff)
    html = client.post(
        url(consultation, "preview/"), {"body": "**bold** <b onclick=x>hi</b>"}
    ).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<b " not in html and "&lt;b onclick=x&gt;" in html  # shown as text, never a tag
