"""The inbox folds repeats about one item into one row and shows each item's path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.grouping import inbox_rows
from notifications.models import Notification
from testing.builders import item

INBOX = "/notifications/"


@pytest.fixture
def concept_note(cast):
    project = item("project", "Livelihood programme", organization=cast.office)
    activity = item("activity", "Town consultation", parent=project)
    return item("task", "Draft concept note", parent=activity)


def tell(person, kind: str, message: str, work_item=None) -> Notification:
    return Notification.objects.create(user=person, kind=kind, message=message, work_item=work_item)


def test_consecutive_repeats_about_one_item_make_one_row(cast, concept_note):
    other = item("task", "Book the venue", organization=cast.office)
    tell(cast.staff, "assigned", "You were assigned to “Draft concept note”.", concept_note)
    for number in range(4):
        tell(cast.staff, "changed", f"Change {number} to “Draft concept note”", concept_note)
    tell(cast.staff, "changed", "Change to “Book the venue”", other)
    tell(cast.staff, "changed", "Change 5 to “Draft concept note”", concept_note)
    rows = inbox_rows(Notification.objects.filter(user=cast.staff).select_related("work_item"))
    # Newest first: the lone later change, the other item, the run of four, the assignment.
    assert [row.count for row in rows] == [1, 1, 4, 1]
    run = rows[2]
    assert run.headline == "4 changes to “Draft concept note”"
    assert run.path == ["Livelihood programme", "Town consultation", "Draft concept note"]
    assert [n.message for n in run.notifications] == [
        f"Change {number} to “Draft concept note”" for number in (3, 2, 1, 0)
    ]
    assert rows[0].headline == "Change 5 to “Draft concept note”"
    assert rows[3].kind_label == "Assigned to you"


def test_comment_groups_count_the_comments_and_digests_never_fold(cast, concept_note):
    tell(cast.staff, "commented", "Ana commented on “Draft concept note”", concept_note)
    tell(
        cast.staff,
        "commented",
        "3 new comments on “Draft concept note”, the latest …",
        concept_note,
    )
    tell(cast.staff, "digest", "Your day")
    tell(cast.staff, "digest", "Your day")
    rows = inbox_rows(Notification.objects.filter(user=cast.staff).select_related("work_item"))
    assert [row.count for row in rows] == [1, 1, 2]
    assert rows[2].headline == "4 new comments on “Draft concept note”"
    assert rows[0].path == []


def test_the_inbox_page_shows_the_group_and_the_path(client, cast, concept_note):
    for number in range(4):
        tell(cast.staff, "changed", f"Change {number}", concept_note)
    client.force_login(cast.staff)
    page = client.get(INBOX).content.decode()
    assert page.count('data-testid="notification-row"') == 1
    assert "4 changes to “Draft concept note”" in page
    assert "Livelihood programme › Town consultation › Draft concept note" in page
    assert "(4 unread)" in page


def test_mark_read_on_a_group_marks_the_whole_group_and_only_the_persons_own(
    client, cast, concept_note
):
    mine = [tell(cast.staff, "changed", f"Change {n}", concept_note) for n in range(4)]
    someone_elses = tell(cast.manager, "changed", "Not Sofia's", concept_note)
    client.force_login(cast.staff)
    response = client.post(
        f"/notifications/{mine[-1].pk}/read/",
        {"also": [n.pk for n in mine[:-1]] + [someone_elses.pk, "x"]},
    )
    assert response.status_code == 302
    assert not Notification.objects.filter(user=cast.staff, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None


def test_opening_a_group_marks_it_read_and_goes_to_the_item(client, cast, concept_note):
    mine = [tell(cast.staff, "changed", f"Change {n}", concept_note) for n in range(3)]
    client.force_login(cast.staff)
    response = client.post(
        f"/notifications/{mine[-1].pk}/read/", {"open": "1", "also": [mine[0].pk, mine[1].pk]}
    )
    assert response["Location"] == f"/oobc-management/work-items/{concept_note.pk}/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def inbox_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INBOX).status_code == 200
    return len(captured.captured_queries)


def test_the_inbox_costs_the_same_for_3_and_30_notifications_on_deep_items(client, cast):
    client.force_login(cast.staff)

    def notify_about_new_branch(number: int) -> None:
        project = item("project", f"Programme {number}", organization=cast.office)
        activity = item("activity", f"Activity {number}", parent=project)
        task = item("task", f"Task {number}", parent=activity)
        tell(cast.staff, "assigned", f"You were assigned to Task {number}", task)
        tell(cast.staff, "changed", f"Change to Task {number}", task)
        tell(cast.staff, "changed", f"Another change to Task {number}", task)

    notify_about_new_branch(0)
    few = inbox_queries(client)
    for number in range(1, 10):
        notify_about_new_branch(number)
    assert Notification.objects.filter(user=cast.staff).count() == 30
    many = inbox_queries(client)
    assert many == few <= 10, many  # 9 today: session, person, page, paths, bell …
    page = client.get(INBOX).content.decode()
    assert page.count('data-testid="notification-row"') == 20
    assert "Programme 9 › Activity 9 › Task 9" in page
