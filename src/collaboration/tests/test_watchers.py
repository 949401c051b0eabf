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


def test_watchers_hear_of_status_changes_reschedules_and_moves_batched(
    cast, consultation, django_capture_on_commit_callbacks
):
    import datetime as dt

    from common.services import move_work_item, update_work_item

    watch(cast.viewer, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, consultation, status="in_progress")
    [notice] = Notification.objects.filter(user=cast.viewer, kind="changed")
    assert notice.message == "Marco: “Provincial consultation” set to In progress"
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, consultation.pk, due_date=dt.date(2026, 12, 20))
    with django_capture_on_commit_callbacks(execute=True):
        move_work_item(cast.manager, consultation.pk, parent=None)
    [notice] = Notification.objects.filter(user=cast.viewer, kind="changed")
    assert notice.message == "3 changes to “Provincial consultation”, the latest by Marco"
    assert not Notification.objects.filter(user=cast.manager, kind="changed").exists()


def test_a_change_nobody_made_by_hand_names_no_one_and_says_why(
    cast, consultation, django_capture_on_commit_callbacks
):
    from common.services import move_work_item, update_work_item

    watch(cast.viewer, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(
            None, consultation, status="completed", reason="Closed by the yearly clean-up"
        )
    [notice] = Notification.objects.filter(user=cast.viewer, kind="changed")
    assert notice.message == (
        "“Provincial consultation” set to Completed (closed by the yearly clean-up)"
    )
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        move_work_item(None, consultation.pk, parent=None)
    [notice] = Notification.objects.filter(user=cast.viewer, kind="changed")
    assert notice.message == "“Provincial consultation” was moved"
    assert "Someone" not in notice.message


def test_an_edit_of_other_fields_tells_nobody(
    cast, consultation, django_capture_on_commit_callbacks
):
    from common.services import update_work_item

    watch(cast.viewer, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        update_work_item(cast.manager, consultation, title="Provincial consultation, Cotabato")
    assert not Notification.objects.filter(user=cast.viewer).exists()


def test_watchers_hear_of_new_files(
    cast, consultation, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from collaboration.attachments import attach_files

    settings.MEDIA_ROOT = tmp_path
    watch(cast.viewer, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        attach_files(cast.staff, consultation, [SimpleUploadedFile("agenda.txt", b"Agenda")])
    [notice] = Notification.objects.filter(user=cast.viewer, kind="attached")
    assert notice.message == "Sofia added “agenda.txt” to “Provincial consultation”"


def test_five_hundred_watchers_are_told_in_one_job_of_bounded_queries(
    cast, consultation, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import VIEWER, assign_role
    from collaboration.notices import tell_watchers

    people = User.objects.bulk_create(
        [
            User(username=f"watcher{n}", organization=cast.office, email=f"w{n}@example.org")
            for n in range(500)
        ]
    )
    viewer_group = cast.viewer.groups.get()
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=viewer_group.pk) for p in people]
    )
    Watch.objects.bulk_create([Watch(work_item=consultation, user=p) for p in people])
    outsider = User.objects.create(username="elsewhere", organization=cast.partner)
    assign_role(outsider, VIEWER)
    Watch.objects.create(work_item=consultation, user=outsider)
    with CaptureQueriesContext(connection) as captured:
        told = tell_watchers(
            consultation, "commented", "New", "{count} new", actor_id=cast.staff.pk
        )
    assert told == 500  # the partner's viewer watching by mistake is not told
    assert Notification.objects.filter(kind="commented").count() == 500
    assert len([q for q in captured if "INSERT" in q["sql"]]) == 1
    assert len([q for q in captured if q["sql"].startswith("SELECT")]) <= 8


def test_a_change_to_many_items_reads_their_history_in_one_query(cast, django_assert_num_queries):
    """A migration's roll-up corrects hundreds of items at once: their last two records are read
    together, not item by item (nothing here tells anyone: each item has one record only)."""
    from collaboration.notices import items_changed
    from testing.builders import branch

    items = branch(cast.office, depth=6)
    with django_assert_num_queries(2):  # the items, and their newest two records
        items_changed([i.pk for i in items])


def test_watch_involved_adds_each_pair_once_and_counts_only_new_ones(cast, consultation):
    Watch.objects.filter(work_item=consultation).delete()
    assert watch_involved([consultation.pk]) == 2  # the manager created it, sofia is assigned
    assert watch_involved([consultation.pk]) == 0
    assert Watch.objects.filter(work_item=consultation).count() == 2
