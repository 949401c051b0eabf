"""The "Schedule" section of an item's page: what an item waits for and what follows it, with
lags and violated links; editors add and remove links, change lags and the scheduling mode,
and see what moved; refusals are a 400 fragment that names the reason; viewers only read."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.models import SchedulingMode, WorkItemRelation
from common.services import link_dependency
from planning.tests.helpers import MONDAY, dated, fresh
from testing.builders import item

pytestmark = pytest.mark.django_db

FRIDAY = MONDAY + timedelta(days=4)  # 6 March 2026
DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


@pytest.fixture
def project(cast):
    return item("project", "Provincial consultations", organization=cast.office)


@pytest.fixture
def plan(project):
    """Survey (Mon–Fri) → Report (automatic, no link yet) → Publish (automatic)."""
    survey = dated("Survey", project, MONDAY, FRIDAY)
    report = dated("Report", project, date(2026, 3, 9), date(2026, 3, 10), automatic=True)
    publish = dated("Publish", project, date(2026, 3, 11), date(2026, 3, 11), automatic=True)
    link_dependency(None, publish, report)
    return survey, fresh(report), fresh(publish)


def section_url(work_item) -> str:
    return f"/oobc-management/work-items/{work_item.pk}/schedule/"


def link_url(page_item, follower, predecessor, action: str) -> str:
    return f"{section_url(page_item)}links/{follower.pk}/{predecessor.pk}/{action}/"


def dates(work_item) -> tuple[date | None, date | None]:
    now = fresh(work_item)
    return now.start_date, now.due_date


def test_the_item_page_loads_the_section_from_its_own_address(client, cast, plan):
    _survey, report, _publish = plan
    client.force_login(cast.viewer)
    page = client.get(f"/oobc-management/work-items/{report.pk}/").content.decode()
    assert 'id="section-schedule"' in page and section_url(report) in page
    assert "js/schedule" in page


def test_the_section_lists_predecessors_and_followers_with_lag_and_violations(
    client, cast, project
):
    survey = dated("Survey", project, MONDAY, FRIDAY)
    analysis = dated("Analysis", project, MONDAY + timedelta(days=2), FRIDAY)  # manual, early
    report = dated("Report", project, date(2026, 3, 16), date(2026, 3, 17))
    link_dependency(None, analysis, survey, 1)
    link_dependency(None, report, analysis, 0)
    client.force_login(cast.viewer)
    html = client.get(section_url(analysis)).content.decode()
    waits_for, followed_by = html.split("Waits for", 1)[1].split("Followed by", 1)
    assert "Survey" in waits_for and "lag 1 working day" in waits_for
    assert "Mar 2, 2026 – Mar 6, 2026" in waits_for
    assert "Violated: this item starts before “Survey” finishes plus 1 working day" in waits_for
    assert "Report" in followed_by and "no lag" in followed_by
    assert "Violated" not in followed_by.split("Add a predecessor")[0]
    assert "Manual: dates stay where you put them" in html
    assert f"/oobc-management/timeline/?root={project.pk}" in html


def test_a_follower_starting_too_early_is_marked_on_the_predecessors_page(client, cast, project):
    survey = dated("Survey", project, MONDAY, FRIDAY)
    report = dated("Report", project, MONDAY, MONDAY)  # manual: stays, so the link is violated
    link_dependency(None, report, survey)
    client.force_login(cast.manager)
    html = client.get(section_url(survey)).content.decode()
    assert "Violated: starts before “Survey” finishes" in html


def test_a_manager_adds_a_predecessor_with_a_lag_and_automatic_items_are_pushed(client, cast, plan):
    survey, report, publish = plan
    client.force_login(cast.manager)
    answer = client.post(
        f"{section_url(report)}predecessors/", {"predecessor": survey.pk, "lag_days": "2"}
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    # First working day after Friday 6 March is Monday 9; plus two working days: Wednesday 11.
    assert dates(report) == (date(2026, 3, 11), date(2026, 3, 12))
    assert dates(publish) == (date(2026, 3, 13), date(2026, 3, 13))
    assert "“Report” now waits for “Survey” plus 2 working days." in html
    assert (
        "2 items moved: “Report” to Mar 11, 2026 – Mar 12, 2026; “Publish” to Mar 13, 2026." in html
    )
    relation = WorkItemRelation.objects.get(source=report, target=survey, kind=DEPENDS_ON)
    assert relation.lag_days == 2
    assert "lag 2 working days" in client.get(section_url(report)).content.decode()


def test_the_predecessor_can_be_found_by_title_and_picked(client, cast, plan, project):
    survey, report, _publish = plan
    dated("Survey of another province", project, MONDAY, MONDAY)
    partner_project = item("project", "Partner survey", organization=cast.partner)
    client.force_login(cast.administrator)  # sees both organisations
    found = client.get(f"{section_url(report)}candidates/", {"q": "surv"}).content.decode()
    assert "Survey of another province" in found and f'value="{survey.pk}"' in found
    assert "Partner survey" not in found and f'value="{partner_project.pk}"' not in found
    assert "Report" not in found  # not itself
    answer = client.post(
        f"{section_url(report)}predecessors/",
        {"predecessor": "", "pick": survey.pk, "lag_days": "0"},
    )
    assert answer.status_code == 200
    assert WorkItemRelation.objects.filter(source=report, target=survey, kind=DEPENDS_ON).exists()
    again = client.get(f"{section_url(report)}candidates/", {"q": "surv"}).content.decode()
    assert f'value="{survey.pk}"' not in again  # already waited for


def test_changing_a_lag_pushes_the_automatic_follower(client, cast, plan):
    _survey, report, publish = plan
    client.force_login(cast.manager)
    answer = client.post(link_url(report, publish, report, "lag"), {"lag_days": "3"})
    assert answer.status_code == 200
    # Report is due Tuesday 10 March: first working day after is Wednesday 11, plus 3: Monday 16.
    assert dates(publish) == (date(2026, 3, 16), date(2026, 3, 16))
    html = answer.content.decode()
    assert "1 item moved: “Publish” to Mar 16, 2026." in html
    assert WorkItemRelation.objects.get(source=publish, target=report).lag_days == 3


def test_removing_a_link_moves_nobody(client, cast, plan):
    _survey, report, publish = plan
    client.force_login(cast.manager)
    before = dates(publish)
    answer = client.post(link_url(publish, publish, report, "remove"))
    assert answer.status_code == 200
    assert "“Publish” no longer waits for “Report”." in answer.content.decode()
    assert not WorkItemRelation.objects.filter(source=publish, target=report).exists()
    assert dates(publish) == before
    gone = client.post(link_url(publish, publish, report, "remove"))
    assert gone.status_code == 404


def test_switching_to_automatic_moves_the_item_after_its_predecessor(client, cast, project):
    survey = dated("Survey", project, MONDAY, FRIDAY)
    report = dated("Report", project, date(2026, 3, 23), date(2026, 3, 24))  # manual, late
    link_dependency(None, report, survey)
    client.force_login(cast.manager)
    answer = client.post(f"{section_url(report)}mode/", {"scheduling_mode": "automatic"})
    assert answer.status_code == 200
    assert fresh(report).scheduling_mode == SchedulingMode.AUTOMATIC
    assert dates(report) == (date(2026, 3, 9), date(2026, 3, 10))  # pulled to the first day
    html = answer.content.decode()
    assert "Automatic: starts on the first working day after its predecessors finish" in html
    assert "1 item moved: “Report” to Mar 9, 2026 – Mar 10, 2026." in html
    back = client.post(f"{section_url(report)}mode/", {"scheduling_mode": "manual"})
    assert "No item moved." in back.content.decode()
    assert fresh(report).scheduling_mode == SchedulingMode.MANUAL


def test_a_loop_is_refused_with_the_chain_named_and_nothing_changes(client, cast, plan):
    survey, report, publish = plan
    link_dependency(None, report, survey)
    client.force_login(cast.manager)
    before = {i.pk: dates(i) for i in plan}
    answer = client.post(
        f"{section_url(survey)}predecessors/", {"predecessor": publish.pk, "lag_days": "0"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "This would make a loop" in html
    assert "“Survey”" in html and "“Report”" in html and "“Publish”" in html
    assert 'data-testid="schedule-predecessor-error"' in html
    assert not WorkItemRelation.objects.filter(source=survey).exists()
    assert {i.pk: dates(i) for i in plan} == before


@pytest.mark.parametrize(
    ("lag", "message"),
    [
        ("10000", "The lag must be between 0 and 260 working days."),
        ("-1", "The lag must be between 0 and 260 working days."),
        ("abc", "The lag must be a whole number of working days."),
        ("9" * 5000, "The lag must be a whole number of working days."),
    ],
)
def test_a_bad_lag_is_a_400_with_the_message_and_changes_nothing(client, cast, plan, lag, message):
    survey, report, publish = plan
    client.force_login(cast.manager)
    added = client.post(
        f"{section_url(report)}predecessors/", {"predecessor": survey.pk, "lag_days": lag}
    )
    assert added.status_code == 400
    assert message in added.content.decode()
    assert 'data-testid="schedule-lag-error"' in added.content.decode()
    assert not WorkItemRelation.objects.filter(source=report, target=survey).exists()
    changed = client.post(link_url(report, publish, report, "lag"), {"lag_days": lag})
    assert changed.status_code == 400
    assert message in changed.content.decode()
    assert 'data-testid="lag-error"' in changed.content.decode()
    assert WorkItemRelation.objects.get(source=publish, target=report).lag_days == 0


@pytest.mark.parametrize(
    ("other", "message"),
    [
        ("self", "An item cannot depend on itself."),
        ("partner", "No such work item."),
        ("", "Give the number of the item to wait for, or find it by title."),
        ("twelve", "No such work item."),
        ("99999999999999999999999", "No such work item."),
    ],
)
def test_a_predecessor_that_cannot_be_had_is_a_400_naming_why(client, cast, plan, other, message):
    _survey, report, _publish = plan
    partner_item = item("project", "Partner plan", organization=cast.partner)
    raw = {"self": report.pk, "partner": partner_item.pk}.get(other, other)
    client.force_login(cast.manager)
    answer = client.post(
        f"{section_url(report)}predecessors/", {"predecessor": raw, "lag_days": "0"}
    )
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not WorkItemRelation.objects.filter(source=report, kind=DEPENDS_ON).exists()


def test_an_administrator_linking_two_organisations_is_refused(client, cast, plan):
    _survey, report, _publish = plan
    partner_item = item("project", "Partner plan", organization=cast.partner)
    client.force_login(cast.administrator)
    answer = client.post(f"{section_url(report)}predecessors/", {"predecessor": partner_item.pk})
    assert answer.status_code == 400
    assert "Both items must belong to the same organisation." in answer.content.decode()


def test_a_viewer_reads_without_forms_and_may_not_post(client, cast, plan):
    survey, report, publish = plan
    client.force_login(cast.viewer)
    html = client.get(section_url(report)).content.decode()
    assert "Publish" in html and "Manual" not in html
    assert "<form" not in html and "Add a predecessor" not in html
    posts = [
        (f"{section_url(report)}predecessors/", {"predecessor": survey.pk, "lag_days": "0"}),
        (f"{section_url(report)}mode/", {"scheduling_mode": "manual"}),
        (link_url(report, publish, report, "lag"), {"lag_days": "5"}),
        (link_url(report, publish, report, "remove"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"{section_url(report)}candidates/", {"q": "S"}).status_code == 403
    assert not WorkItemRelation.objects.filter(source=report).exists()
    assert fresh(report).scheduling_mode == SchedulingMode.AUTOMATIC
    assert WorkItemRelation.objects.get(source=publish, target=report).lag_days == 0


def test_staff_may_change_only_the_links_of_items_they_work_on(client, cast, plan):
    _survey, report, publish = plan
    client.force_login(cast.staff)  # not involved in any of them
    html = client.get(section_url(report)).content.decode()
    assert "<form" not in html
    assert client.post(link_url(report, publish, report, "remove")).status_code == 403


def test_an_item_of_the_partner_organisation_is_not_found(client, cast):
    partner_project = item("project", "Partner plan", organization=cast.partner)
    partner_task = dated("Partner task", partner_project, MONDAY, MONDAY)
    client.force_login(cast.manager)
    assert client.get(section_url(partner_task)).status_code == 404
    switched = client.post(f"{section_url(partner_task)}mode/", {"scheduling_mode": "automatic"})
    assert switched.status_code == 404
    assert fresh(partner_task).scheduling_mode == SchedulingMode.MANUAL


def test_a_link_of_another_item_cannot_be_changed_through_this_items_address(client, cast, plan):
    survey, report, publish = plan
    client.force_login(cast.manager)
    answer = client.post(link_url(survey, publish, report, "lag"), {"lag_days": "4"})
    assert answer.status_code == 404
    assert WorkItemRelation.objects.get(source=publish, target=report).lag_days == 0


def test_the_section_costs_the_same_queries_for_one_link_and_for_thirty(client, cast, project):
    """Measured: 10 for a manager, 9 for a viewer (session, person, permissions ×2, the item,
    working week and days, predecessors, followers, and for editors whose links they may
    change)."""

    def queries_for(predecessors: int, followers: int) -> int:
        middle = dated(f"Middle {predecessors}", project, date(2026, 6, 1), date(2026, 6, 2))
        for n in range(predecessors):
            link_dependency(None, middle, dated(f"Before {n}", project, MONDAY, MONDAY))
        for n in range(followers):
            after = dated(f"After {n}", project, date(2026, 7, 1), date(2026, 7, 1))
            link_dependency(None, after, middle)
        client.get(section_url(middle))  # warm the session and the working days
        with CaptureQueriesContext(connection) as captured:
            assert client.get(section_url(middle)).status_code == 200
        return len(captured)

    for person in (cast.manager, cast.viewer):
        client.force_login(person)
        one = queries_for(1, 0)
        thirty = queries_for(15, 15)
        assert one == thirty, (person.username, one, thirty)
        assert thirty <= 10


def test_titles_are_escaped_in_the_lists_and_the_sentence(client, cast, project):
    sly = dated("<script>alert(1)</script>", project, MONDAY, FRIDAY)
    report = dated("Report", project, date(2026, 3, 9), date(2026, 3, 9))
    client.force_login(cast.manager)
    answer = client.post(f"{section_url(report)}predecessors/", {"predecessor": sly.pk})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unknown_scheduling_mode_is_a_400_that_says_so(client, cast, plan):
    _survey, report, _publish = plan
    client.force_login(cast.manager)
    answer = client.post(f"{section_url(report)}mode/", {"scheduling_mode": "sometimes"})
    assert answer.status_code == 400
    assert "“sometimes” is not a scheduling mode." in answer.content.decode()
    assert fresh(report).scheduling_mode == SchedulingMode.AUTOMATIC
