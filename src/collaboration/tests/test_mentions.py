"""@mentions: the named people hear about it; nobody is named who could not see the item."""

import pytest
from django.core.exceptions import ValidationError

from collaboration.models import Comment, Mention
from collaboration.services import post_comment
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_mentioned_person_is_notified_and_starts_watching(
    cast, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.manager, consultation, "@victor can you check the venue?")
    notice = Notification.objects.get(user=cast.viewer, kind="mentioned")
    assert "mentioned you" in notice.message and notice.work_item_id == consultation.pk
    assert Mention.objects.get().user == cast.viewer
    from collaboration.models import Watch

    assert Watch.objects.filter(work_item=consultation, user=cast.viewer).exists()


def test_mentioning_someone_who_cannot_see_the_item_is_refused(cast, consultation):
    # The administrator sees every organisation's people, the partner's staff member included.
    with pytest.raises(ValidationError) as refused:
        post_comment(cast.administrator, consultation, "@paolo please join")
    assert "cannot see this item" in str(refused.value)
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_people_one_cannot_see_are_plain_text_not_mentions(cast, consultation):
    post_comment(cast.staff, consultation, "Ask @paolo at the ministry")
    assert not Mention.objects.exists()


def test_a_team_mention_reaches_its_members(cast, consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.manager, consultation, 'Over to @"Field Coordination"')
    assert Notification.objects.filter(user=cast.staff, kind="mentioned").exists()


def test_a_mention_inside_code_is_not_a_mention(cast, consultation):
    post_comment(cast.manager, consultation, "Use `@victor` as the handle")
    assert not Mention.objects.exists()


def test_the_editor_suggests_people_and_teams_of_the_items_organisation(client, cast, consultation):
    client.force_login(cast.manager)
    names = client.get(f"/oobc-management/work-items/{consultation.pk}/conversation/people/?q=")
    inserted = [r["insert"] for r in names.json()["results"]]
    assert "@sofia" in inserted and '@"Field Coordination"' in inserted
    assert "@paolo" not in inserted and '@"Partner Liaison"' not in inserted
