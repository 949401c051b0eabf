"""Saved views: save a page's state under a name, share it, pin it, make it the default."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Team, TeamMembership
from planning.models import DefaultView, SavedView

API = "/api/v1/saved-views/"


def view_of(owner, name="Urgent work", visibility="private", view_type="board", **extra):
    return SavedView.objects.create(
        owner=owner,
        organization=owner.organization,
        name=name,
        view_type=view_type,
        params=extra.pop("params", [["priority", "urgent"], ["columns", "assignee"]]),
        visibility=visibility,
        **extra,
    )


def test_saving_the_board_keeps_its_query_and_reopens_it(client, cast):
    client.force_login(cast.staff)
    form = client.get(reverse("planning:view_new"), {"type": "board", "priority": "urgent"})
    assert form.status_code == 200
    assert "priority=urgent" in form.text
    answer = client.post(
        reverse("planning:view_new"),
        {
            "name": "Urgent",
            "view_type": "board",
            "visibility": "private",
            "query": "priority=urgent&columns=assignee&page=3",
        },
    )
    view = SavedView.objects.get(name="Urgent")
    assert view.params == [["priority", "urgent"], ["columns", "assignee"]]
    assert answer["Location"] == "/oobc-management/board/?priority=urgent&columns=assignee"
    opened = client.get(reverse("planning:view_open", args=[view.pk]))
    assert opened["Location"] == answer["Location"]


def test_a_view_without_a_name_is_refused_with_the_field_message(client, cast):
    client.force_login(cast.staff)
    answer = client.post(
        reverse("planning:view_new"),
        {"name": "", "view_type": "board", "visibility": "private", "query": ""},
    )
    assert answer.status_code == 400
    assert "This field is required." in answer.text
    assert not SavedView.objects.exists()


def test_private_views_are_the_owners_and_others_get_404(client, cast):
    mine = view_of(cast.staff)
    client.force_login(cast.manager)
    assert client.get(reverse("planning:view_open", args=[mine.pk])).status_code == 404
    assert "Urgent work" not in client.get(reverse("planning:views")).text


def test_organisation_views_are_shared_but_never_across_organisations(client, cast):
    shared = view_of(cast.staff, visibility="organization")
    client.force_login(cast.viewer)
    assert client.get(reverse("planning:view_open", args=[shared.pk])).status_code == 302
    client.force_login(cast.partner_staff)
    assert client.get(reverse("planning:view_open", args=[shared.pk])).status_code == 404
    assert client.get(f"{API}{shared.pk}/").status_code == 404


def test_team_views_reach_the_team_only(client, cast):
    shared = view_of(cast.staff, visibility="team", team=cast.field_team)
    client.force_login(cast.viewer)
    assert client.get(reverse("planning:view_open", args=[shared.pk])).status_code == 404
    TeamMembership.objects.create(team=cast.field_team, user=cast.viewer)
    assert client.get(reverse("planning:view_open", args=[shared.pk])).status_code == 302


def test_only_managers_pin_and_pinned_views_come_first(client, cast):
    view_of(cast.staff, name="A plain view", visibility="organization")
    pinned = view_of(cast.staff, name="Weekly board", visibility="organization")
    client.force_login(cast.staff)
    assert (
        client.post(reverse("planning:view_pin", args=[pinned.pk]), {"pinned": "1"}).status_code
        == 403
    )
    client.force_login(cast.manager)
    client.post(reverse("planning:view_pin", args=[pinned.pk]), {"pinned": "1"})
    page = client.get(reverse("planning:views")).text
    assert page.index("Weekly board") < page.index("A plain view")
    assert "Pinned" in page


def test_the_default_board_view_applies_without_a_query_string(client, cast):
    view = view_of(cast.staff)
    client.force_login(cast.staff)
    client.post(reverse("planning:view_default", args=[view.pk]), {"default": "1"})
    assert DefaultView.objects.get(user=cast.staff).view == view
    bare = client.get("/oobc-management/board/")
    assert bare["Location"] == "/oobc-management/board/?priority=urgent&columns=assignee"
    assert client.get("/oobc-management/board/?columns=status").status_code == 200


def test_the_default_tree_view_applies_and_clear_still_reaches_everything(client, cast):
    view = view_of(cast.staff, view_type="tree", params=[["status", "blocked"]])
    client.force_login(cast.staff)
    client.post(reverse("planning:view_default", args=[view.pk]), {"default": "1"})
    assert client.get("/oobc-management/work-items/")["Location"].endswith("?status=blocked")
    assert client.get("/oobc-management/work-items/?sort=position").status_code == 200


def test_only_the_owner_edits_or_deletes_a_private_view(client, cast):
    view = view_of(cast.staff, visibility="organization")
    client.force_login(cast.viewer)
    assert client.post(reverse("planning:view_delete", args=[view.pk])).status_code == 403
    client.force_login(cast.staff)
    answer = client.post(
        reverse("planning:view_edit", args=[view.pk]),
        {"name": "Renamed", "view_type": "board", "visibility": "private", "query": "q=hall"},
    )
    assert answer.status_code == 302
    view.refresh_from_db()
    assert (view.name, view.params, view.visibility) == ("Renamed", [["q", "hall"]], "private")
    client.post(reverse("planning:view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_the_api_creates_lists_changes_and_deletes_views(client, cast):
    client.force_login(cast.manager)
    created = client.post(
        API,
        {
            "name": "Blocked",
            "view_type": "tree",
            "params": [["status", "blocked"]],
            "visibility": "organization",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["url"] == "/oobc-management/work-items/?status=blocked"
    listed = client.get(API).json()
    assert [v["name"] for v in listed["results"]] == ["Blocked"]
    pinned = client.patch(f"{API}{body['id']}/", {"pinned": True}, content_type="application/json")
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    assert client.delete(f"{API}{body['id']}/").status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "view_type": "board"}, "name"),
        ({"name": "X", "view_type": "spreadsheet"}, "view_type"),
        ({"name": "X", "view_type": "board", "visibility": "team"}, "team"),
        ({"name": "X", "view_type": "board", "params": [["q", "x" * 501]]}, "params"),
    ],
)
def test_the_api_refuses_bad_views_with_field_messages(client, cast, payload, field):
    client.force_login(cast.staff)
    answer = client.post(API, payload, content_type="application/json")
    assert answer.status_code == 400
    assert field in str(answer.json())
    assert not SavedView.objects.exists()


def test_a_team_of_another_organisation_is_refused(client, cast):
    client.force_login(cast.manager)
    answer = client.post(
        API,
        {"name": "X", "view_type": "board", "visibility": "team", "team": cast.partner_team.pk},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert Team.objects.count() == 2 and not SavedView.objects.exists()


def _cost(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 302)
    return len(captured.captured_queries)


def test_views_load_in_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.staff)
    first = view_of(cast.staff, visibility="organization")
    client.get(reverse("planning:views"))
    few_list, few_open, few_api = (
        _cost(client, reverse("planning:views")),
        _cost(client, reverse("planning:view_open", args=[first.pk])),
        _cost(client, API),
    )
    for n in range(30):
        view_of(cast.manager, name=f"Shared {n}", visibility="organization")
        view_of(cast.staff, name=f"Team {n}", visibility="team", team=cast.field_team)
    assert _cost(client, reverse("planning:views")) == few_list
    assert _cost(client, reverse("planning:view_open", args=[first.pk])) == few_open
    assert _cost(client, API) == few_api
