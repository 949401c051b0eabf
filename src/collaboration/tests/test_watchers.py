"""Watchers hear about new comments — batched, never about their own — and subtrees can be
watched as a whole."""

import pytest

from collaboration.models import Watch
from collaboration.services import post_comment, unwatch, watch
from collaboration.watching import watch_involved
from notifications.models import Notification
from testing.builders import item

pytestmark = pytest.mark.django_db


def test_creator_and_assignees_watch_a_new_item(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = item(
            "task",
            "Book the hall",
            organization=cast.office,
            actor=cast.manager,
            assignees=[cast.staff],
        )
    watchers = set(Watch.objects.filter(work_item=task).values_list("user__username", flat=True))
    assert watchers == {"marco", "sofia"}


def test_watchers_are_told_of_comments_but_never_of_their_own(
    cast, consultation, django_capture_on_commit_callbacks
):
    watch_involved([consultation.pk])  # the manager created it, the staff member is assigned
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.staff, consultation, "Hall booked.")
    assert Notification.objects.filter(user=cast.manager, kind="commented").count() == 1
    assert not Notification.objects.filter(user=cast.staff).exists()


def test_several_comments_in_a_row_make_one_notice(
    cast, consultation, django_capture_on_commit_callbacks
):
    watch_involved([consultation.pk])
    for text in ("One", "Two", "Three"):
        with django_capture_on_commit_callbacks(execute=True):
            post_comment(cast.staff, consultation, text)
    [notice] = Notification.objects.filter(user=cast.manager, kind="commented")
    assert notice.message.startswith("3 new comments on “Provincial consultation”")


def test_watching_a_project_covers_everything_under_it(
    cast, consultation, django_capture_on_commit_callbacks
):
    watch(cast.viewer, consultation.parent, subtree=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.staff, consultation, "Agenda attached.")
    assert Notification.objects.filter(user=cast.viewer, kind="commented").exists()


def test_unwatching_stops_the_notices(cast, consultation, django_capture_on_commit_callbacks):
    watch(cast.viewer, consultation)
    unwatch(cast.viewer, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(cast.staff, consultation, "Agenda attached.")
    assert not Notification.objects.filter(user=cast.viewer).exists()


def test_the_watch_button_follows_and_unfollows(client, cast, consultation):
    client.force_login(cast.viewer)
    address = f"/oobc-management/work-items/{consultation.pk}/conversation/watch/"
    page = client.post(address, {"action": "watch"}).content.decode()
    assert 'data-testid="watching"' in page
    client.post(address, {"action": "unwatch"})
    assert not Watch.objects.filter(user=cast.viewer).exists()
    assert client.post(address, {"action": "dance"}).status_code == 400


def test_another_organisation_cannot_watch(client, cast, consultation):
    client.force_login(cast.partner_staff)
    address = f"/oobc-management/work-items/{consultation.pk}/conversation/watch/"
    assert client.post(address, {"action": "watch"}).status_code == 404
    assert not Watch.objects.filter(user=cast.partner_staff).exists()
