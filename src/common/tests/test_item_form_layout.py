"""The item form: essentials first, folded sections that open when they hold something, the
palette's colours, locked roll-up progress with its reason, and a cost that does not grow."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Team
from accounts.roles import STAFF
from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item
from testing.cast import make_user

CREATE = "/oobc-management/work-items/new/"


def form_data(**overrides):
    data = {
        "work_type": "task",
        "title": "Prepare the venue",
        "status": "not_started",
        "priority": "medium",
        "progress_mode": "auto",
        "progress": "0",
        "weight": "1",
        "is_calendar_visible": "on",
    }
    data.update(overrides)
    return data


def open_sections(html: str) -> set[str]:
    return set(re.findall(r'data-section="(\w+)" open', html))


def test_essentials_come_first_and_the_rest_is_folded(client, cast):
    client.force_login(cast.manager)
    html = client.get(CREATE, {"type": "activity"}).content.decode()
    essentials = html[html.index('data-testid="essentials"') : html.index("<details")]
    for name in ("work_type", "title", "status", "priority", "start_date", "due_date"):
        assert f'name="{name}"' in essentials
    assert 'name="assignees"' in essentials and 'name="teams"' in essentials
    assert 'name="recurrence_rule"' not in essentials and 'name="weight"' not in essentials
    assert re.findall(r'data-section="(\w+)"', html) == [
        "details",
        "progress",
        "repeat",
        "appearance",
        "budget",
    ]
    assert open_sections(html) == set()


def test_sections_holding_a_value_open_by_themselves(client, cast):
    task = item(
        "task",
        organization=cast.office,
        description="Chairs for 40",
        allocated_budget=1200,
        calendar_color="#DB2777",
    )
    client.force_login(cast.manager)
    html = client.get(reverse("common:edit", args=[task.pk])).content.decode()
    assert open_sections(html) == {"details", "appearance", "budget"}


def test_a_section_with_an_error_opens(client, cast):
    client.force_login(cast.manager)
    response = client.post(CREATE, form_data(weight="0", allocated_budget="lots"))
    assert response.status_code == 400
    assert open_sections(response.content.decode()) == {"progress", "budget"}


def test_the_colour_is_picked_from_the_palette(client, cast):
    client.force_login(cast.manager)
    html = client.get(CREATE).content.decode()
    assert 'type="radio" class="sr-only" name="calendar_color" value="#DB2777"' in html
    assert ">Pink</span>" in html and ">The type&#x27;s colour</span>" in html
    assert client.post(CREATE, form_data(calendar_color="#DB2777")).status_code == 302
    assert WorkItem.objects.get().calendar_color == "#DB2777"


def test_a_colour_outside_the_palette_is_refused_with_a_sentence(client, cast):
    client.force_login(cast.manager)
    response = client.post(CREATE, form_data(calendar_color="red"))
    assert response.status_code == 400
    assert "Choose one of the colours shown." in response.content.decode()
    assert not WorkItem.objects.exists()


def test_an_older_colour_outside_the_palette_survives_an_edit(client, cast):
    task = item("task", organization=cast.office, calendar_color="#1d4ed8")
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[task.pk])
    html = client.get(url).content.decode()
    assert "Current colour #1D4ED8" in html
    data = form_data(title="Renamed", calendar_color="#1D4ED8", expected_version="1")
    assert client.post(url, data).status_code == 302
    assert WorkItem.objects.get(pk=task.pk).calendar_color == "#1D4ED8"


def test_an_older_lower_case_colour_stays_chosen_on_a_conflict_page(client, cast):
    task = item("task", "Draft agenda", organization=cast.office, calendar_color="#db2777")
    update_work_item(cast.administrator, task, title="Agenda v2")
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[task.pk])
    opened = form_data(title="Draft agenda", calendar_color="#DB2777")  # what the page showed
    seen = {f"initial-{name}": value for name, value in opened.items()}
    data = form_data(title="Final agenda", calendar_color="#DB2777", expected_version="1")
    response = client.post(url, {**data, **seen})
    assert response.status_code == 409  # both changed the title
    html = response.content.decode()
    # The swatch stays chosen, so saving again does not quietly drop the colour.
    assert re.search(r'value="#DB2777" id="id_calendar_color_\d+" checked', html)


def parent_with_children(cast, count=3):
    activity = item("activity", "Workshop", organization=cast.office)
    for number in range(count):
        item("task", f"Step {number}", parent=activity, progress=30 * number)
    return WorkItem.objects.get(pk=activity.pk)


def test_rolled_up_progress_is_locked_with_its_reason(client, cast):
    activity = parent_with_children(cast)
    client.force_login(cast.manager)
    html = client.get(reverse("common:edit", args=[activity.pk])).content.decode()
    field = re.search(r'<input type="number" name="progress"[^>]*>', html).group(0)
    assert " disabled" in field and 'aria-describedby="progress-reason"' in field
    reason = re.search(r'<p[^>]*data-testid="progress-reason"[^>]*>([^<]*)</p>', html)
    assert " hidden" not in reason.group(0)
    assert reason.group(1) == "Rolled up from its 3 children — switch to set by hand to change it."


def test_a_leaf_or_a_parent_set_by_hand_has_its_progress_free(client, cast):
    activity = parent_with_children(cast, count=1)
    leaf = item("task", organization=cast.office)
    client.force_login(cast.manager)
    html = client.get(reverse("common:edit", args=[leaf.pk])).content.decode()
    assert "progress-reason" not in html
    activity.progress_mode = "manual"
    activity.save(update_fields=["progress_mode"])
    html = client.get(reverse("common:edit", args=[activity.pk])).content.decode()
    field = re.search(r'<input type="number" name="progress"[^>]*>', html).group(0)
    assert " disabled" not in field
    assert re.search(r'data-testid="progress-reason" hidden>Rolled up from its only child', html)


def test_a_locked_progress_sent_anyway_is_ignored_not_refused(client, cast):
    activity = parent_with_children(cast)
    before = activity.progress
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[activity.pk])
    data = form_data(work_type="activity", title="Workshop", progress="99", expected_version="1")
    assert client.post(url, data).status_code == 302
    assert WorkItem.objects.get(pk=activity.pk).progress == before


def test_switching_to_set_by_hand_and_typing_a_value_in_one_save(client, cast):
    activity = parent_with_children(cast)
    client.force_login(cast.manager)
    url = reverse("common:edit", args=[activity.pk])
    data = form_data(work_type="activity", title="Workshop", progress_mode="manual", progress="70")
    assert client.post(url, {**data, "expected_version": "1"}).status_code == 302
    saved = WorkItem.objects.get(pk=activity.pk)
    assert (saved.progress_mode, saved.progress) == ("manual", 70)


def test_without_script_people_and_teams_are_a_plain_multiple_select(client, cast):
    client.force_login(cast.manager)
    html = client.get(CREATE).content.decode()
    assert '<select name="assignees" id="id_assignees" multiple>' in html
    assert '<select name="teams" id="id_teams" multiple>' in html
    assert ">Sofia</option>" in html and ">Field Coordination</option>" in html
    assert ">Paolo</option>" not in html and ">Partner Liaison</option>" not in html
    response = client.post(
        CREATE, form_data(assignees=[cast.staff.pk, cast.manager.pk], teams=[cast.field_team.pk])
    )
    assert response.status_code == 302
    created = WorkItem.objects.get()
    assert set(created.assignees.all()) == {cast.staff, cast.manager}


def test_someone_of_another_organisation_cannot_be_assigned(client, cast):
    client.force_login(cast.manager)
    response = client.post(CREATE, form_data(assignees=[cast.partner_staff.pk]))
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_form_costs_the_same_for_few_or_many_people_and_teams(client, cast):
    task = item(
        "task",
        organization=cast.office,
        assignees=[cast.staff],
        teams=[cast.field_team],
        start_date=dt.date(2026, 12, 7),
        recurrence_rule="FREQ=WEEKLY;BYDAY=MO",
    )
    client.force_login(cast.manager)
    edit = reverse("common:edit", args=[task.pk])
    client.get(CREATE)  # warm the session and permission caches
    few = (queries_for(client, CREATE), queries_for(client, edit))
    helpers = [make_user(f"helper{n}", cast.office, STAFF) for n in range(25)]
    teams = [Team.objects.create(organization=cast.office, name=f"Team {n}") for n in range(25)]
    task.assignees.add(*helpers[:10])
    task.teams.add(*teams[:10])
    many = (queries_for(client, CREATE), queries_for(client, edit))
    assert many == few
