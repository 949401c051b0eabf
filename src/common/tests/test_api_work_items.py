"""The work items API: reads scoped like the pages, writes through the services, JSON errors."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from common.models import WorkItem
from common.services import update_work_item
from testing.builders import item

API = "/api/v1/work-items/"


def api_for(user) -> APIClient:
    client = APIClient()
    _, raw = ApiToken.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def tree(cast):
    project = item("project", "Office project", organization=cast.office)
    activity = item("activity", "Workshop", parent=project, assignees=[cast.staff])
    task = item("task", "Book the hall", parent=activity, due_date=dt.date(2026, 5, 4))
    partner = item("project", "Partner project", organization=cast.partner)
    return {"project": project, "activity": activity, "task": task, "partner": partner}


def test_anonymous_callers_get_401_json(db):
    response = APIClient().get(API)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token obw_nope")
    assert client.get(API).status_code == 401


def test_the_list_shows_only_the_callers_organisation_with_breadcrumbs(cast, tree):
    body = api_for(cast.staff).get(API).json()
    titles = {row["title"]: row for row in body["results"]}
    assert set(titles) == {"Office project", "Workshop", "Book the hall"}
    assert [c["title"] for c in titles["Book the hall"]["breadcrumb"]] == [
        "Office project",
        "Workshop",
    ]
    assert titles["Workshop"]["children_count"] == 1
    assert body["next"] is None


def test_filters_reach_nested_items(cast, tree):
    body = api_for(cast.staff).get(API, {"q": "hall", "work_type": "task"}).json()
    assert [r["title"] for r in body["results"]] == ["Book the hall"]


def test_bad_filters_are_400_with_field_messages(cast, tree):
    response = api_for(cast.staff).get(API, {"status": "finished"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_cursor_pagination_walks_every_item_once(cast):
    for n in range(7):
        item("task", f"T{n}", organization=cast.office)
    client = api_for(cast.manager)
    seen, url = [], API + "?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [r["title"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == [f"T{n}" for n in range(7)]


def test_another_organisations_item_is_404(cast, tree):
    assert api_for(cast.staff).get(f"{API}{tree['partner'].pk}/").status_code == 404
    assert api_for(cast.administrator).get(f"{API}{tree['partner'].pk}/").status_code == 200


def test_creating_under_a_parent_and_the_rules_apply(cast, tree):
    client = api_for(cast.staff)
    created = client.post(
        API,
        {"work_type": "subtask", "title": "Call the caretaker", "parent": tree["task"].pk},
        format="json",
    )
    assert created.status_code == 403  # staff are not involved in the task
    created = client.post(
        API,
        {
            "work_type": "task",
            "title": "Print forms",
            "parent": tree["activity"].pk,
            "assignees": [cast.staff.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["breadcrumb"][-1]["title"] == "Workshop"
    refused = client.post(
        API, {"work_type": "project", "title": "x", "parent": tree["activity"].pk}, format="json"
    )
    assert refused.status_code == 400
    assert "cannot be placed under a Activity" in refused.json()["work_type"][0]


def test_invalid_fields_are_400_naming_each_field(cast):
    response = api_for(cast.manager).post(
        API, {"work_type": "meeting", "title": "", "progress": 250}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"work_type", "title", "progress"}
    assert not WorkItem.objects.exists()


def test_a_stale_patch_is_a_409_carrying_the_current_values(cast, tree):
    task = tree["task"]
    update_work_item(cast.administrator, task, title="Book the big hall")
    response = api_for(cast.manager).patch(
        f"{API}{task.pk}/", {"title": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "Book the big hall"
    assert response.json()["current"]["version"] == 2
    ok = api_for(cast.manager).patch(
        f"{API}{task.pk}/", {"status": "completed", "version": 2}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["progress"] == 100


def test_a_viewer_cannot_patch(cast, tree):
    response = api_for(cast.viewer).patch(f"{API}{tree['task'].pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403


def test_delete_with_cascade_or_reparent(cast, tree):
    client = api_for(cast.manager)
    refused = client.delete(f"{API}{tree['activity'].pk}/")
    assert refused.status_code == 400
    assert "children" in refused.json()
    moved = client.delete(f"{API}{tree['activity'].pk}/?reparent_to={tree['project'].pk}")
    assert moved.status_code == 204
    assert WorkItem.objects.get(pk=tree["task"].pk).parent_id == tree["project"].pk
    gone = client.delete(f"{API}{tree['project'].pk}/?cascade=true")
    assert gone.status_code == 204
    assert not WorkItem.objects.filter(organization=cast.office).exists()


def test_move_children_ancestors_and_history(cast, tree):
    client = api_for(cast.manager)
    other = item("activity", "Other", parent=tree["project"])
    moved = client.post(
        f"{API}{tree['task'].pk}/move/", {"parent": other.pk, "position": 0}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["parent"] == other.pk
    children = client.get(f"{API}{other.pk}/children/").json()
    assert [c["title"] for c in children] == ["Book the hall"]
    ancestors = client.get(f"{API}{tree['task'].pk}/ancestors/").json()
    assert [a["title"] for a in ancestors] == ["Office project", "Other"]
    history = client.get(f"{API}{tree['task'].pk}/history/").json()
    assert history[0]["history_change_reason"] == "api"
    assert history[0]["user"] == "Marco"
    invalid = client.post(f"{API}{other.pk}/move/", {"parent": tree["task"].pk}, format="json")
    assert invalid.status_code == 400


def test_bulk_updates_report_each_item(cast, tree):
    mine = item("task", "Mine", organization=cast.office, assignees=[cast.staff])
    response = api_for(cast.staff).post(
        f"{API}bulk/",
        {"ids": [mine.pk, tree["task"].pk, tree["partner"].pk, 999999], "status": "completed"},
        format="json",
    )
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()}
    assert results[mine.pk]["ok"] is True
    assert results[tree["task"].pk] == {
        "id": tree["task"].pk,
        "ok": False,
        "error": "You may not edit this item.",
    }
    assert results[tree["partner"].pk]["error"] == "No such item."
    assert results[999999]["ok"] is False
    assert WorkItem.objects.get(pk=mine.pk).status == "completed"


def test_session_writes_need_the_csrf_token(cast, tree):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    assert client.get(API).status_code == 200
    response = client.patch(f"{API}{tree['task'].pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_each_token_is_throttled_with_a_retry_after(cast, monkeypatch):
    from common.api.auth import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "rate", "2/minute", raising=False)
    client = api_for(cast.staff)
    assert client.get(API).status_code == 200
    assert client.get(API).status_code == 200
    limited = client.get(API)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert api_for(cast.staff).get(API).status_code == 200  # another token has its own budget
