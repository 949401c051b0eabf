"""Crawl everything as each role of organisation A: nothing of organisation B ever shows or changes.

Organisation B's records carry a canary in every text field (`testing/two_orgs.py`). The crawl
takes every route of the URL configuration (pages, htmx fragments, feed, ICS, exports, API and
admin), fills each id with B's ids, adds filters and pre-fills that name B, follows the links it
finds, and aims writes at B. It passes when no answer holds a canary, none is a 5xx and B's
rows are exactly as before. The last test breaks visibility on purpose and shows the same crawl
then finds canaries, so a crawl that silently saw nothing cannot pass.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from common import permissions
from common.models import WorkItem
from testing.two_orgs import CANARY, World, b_snapshot, build_world, own

PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")
ROLES = ["manager", "staff", "viewer", "no_role", "anonymous"]
LINK = re.compile(r'href="(/[^"#]*)"')
LINK_BUDGET = 60
OWN_ITEM = own("project")
WRITE_DATA = {
    "title": "Overwritten",
    "status": "completed",
    "progress": "100",
    "expected_version": "1",
    "version": "1",
    "post": "yes",
    "cascade": "1",
    "start_date": "2030-01-01",
    "due_date": "2030-01-02",
}


@dataclass
class Crawl:
    client: Client
    seen: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    queue: list[str] = field(default_factory=list)
    saw_own: bool = False

    def visit(self, method: str, url: str, data: dict | None = None) -> None:
        if (method, url) in self.seen:
            return
        self.seen.add((method, url))
        send = getattr(self.client, method)
        kwargs = {"content_type": "application/json"} if method in ("patch",) else {}
        response = send(url, data or {}, **kwargs) if method != "get" else send(url)
        if response.status_code >= 500:
            self.errors.append(f"{method.upper()} {url}: {response.status_code}")
        text = _text(response)
        if CANARY in text:
            self.leaks.append(f"{method.upper()} {url}")
        self.saw_own = self.saw_own or OWN_ITEM in text
        if method == "get" and "html" in response.get("Content-Type", ""):
            self.queue.extend(LINK.findall(text))


def _text(response) -> str:
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if body[:2] == b"PK":  # XLSX: look inside the archive
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode(errors="replace") + response.headers.get("Location", "")


def _routes() -> list[str]:
    patterns = extract_views_from_urlpatterns(get_resolver().url_patterns)
    return sorted(
        {
            simplify_regex(p)
            for _v, p, _n, _d in patterns
            if "format>" not in simplify_regex(p) and "<url>" not in simplify_regex(p)
        }
    )


def _values(world: World, path: str, name: str) -> list[str]:
    """The ids of B (and other values) a route's placeholder is filled with."""
    b_items = [i.pk for i in world.b_items]
    if name in ("pk", "id") or (name == "object_id" and path.startswith("/admin/r/")):
        notification = world.b_people[0].notifications.first()
        people = [p.pk for p in world.b_people]
        return [
            str(v)
            for v in [
                *b_items,
                notification.pk,
                world.b_subscription.pk,
                *people,
                world.b_invitation.pk,
                world.b_webhook.pk,
                *(v.pk for k, v in world.other.items() if k.startswith("planning.savedview.")),
            ]
        ]
    if name == "object_id":
        label = ".".join(path.split("/")[2:4])
        record = world.other.get(label)
        return [str(record.pk)] if record is not None else []
    if name == "content_type_id":
        return [str(ContentType.objects.get_for_model(WorkItem).pk)]
    if name == "token":
        return ["not-a-token"]
    if name == "uidb64":  # a password-reset link for B's person, with a made-up token
        return [urlsafe_base64_encode(force_bytes(world.b_people[0].pk))]
    if name in ("item_id", "predecessor_id", "follower", "predecessor"):
        return [str(pk) for pk in b_items]
    if name == "day_id":  # a public holiday in B's calendar
        from planning.models import NonWorkingDay

        days = NonWorkingDay.objects.filter(organization=world.cast.partner)
        return [str(days.values_list("pk", flat=True).first())]
    if name == "comment_id":
        return [str(world.b_comment.pk)]
    if name == "attachment_id":
        return [str(world.b_attachment.pk)]
    if name == "hook_id":
        return [str(world.b_webhook.pk)]
    if name == "delivery_id":
        return [str(world.b_delivery.pk)]
    if name == "fmt":
        return ["csv", "xlsx"]
    if name == "app_label":
        return ["common", "accounts"]
    raise AssertionError(f"the crawl does not know how to fill <{name}> in {path}")


def _expand(world: World, path: str) -> list[str]:
    urls = [path.replace("\\", "")]
    for name in PLACEHOLDER.findall(path):
        urls = [
            PLACEHOLDER.sub(value, url, count=1)
            for url in urls
            for value in _values(world, path, name)
        ]
    return urls


def _aimed_at_b(world: World) -> list[str]:
    """Filters, pre-fills and searches that name B's records directly."""
    b = world.other
    org, team, person = b["accounts.organization"].pk, b["accounts.team"].pk, b["accounts.user"].pk
    item = world.b_items[0].pk
    wide = "start=2000-01-01&end=2100-01-01"
    urls = [
        f"/oobc-management/work-items/?organization={org}&team={team}&assignee={person}",
        f"/oobc-management/work-items/export.csv?organization={org}",
        f"/oobc-management/calendar/work-items/feed/?{wide}&organisation={org}",
        f"/oobc-management/calendar/work-items/feed/?{wide}&team={team}",
        f"/api/v1/work-items/?organization={org}",
        f"/api/v1/work-items/?parent={item}",
        f"/admin/common/workitem/add/?parent={item}&organization={org}&assignees={person}"
        f"&teams={team}",
        f"/admin/accounts/team/add/?organization={org}",
        f"/admin/common/workitem/?organization__id__exact={org}",
        f"/admin/accounts/user/?organization__id__exact={org}",
        f"/people/?organization={org}",
        f"/oobc-management/board/?organization={org}&team={team}&assignee={person}",
        f"/oobc-management/board/?columns=children&parent={item}&lanes=team",
        f"/oobc-management/board/cards/?columns=children&parent={item}&column={item}&offset=0",
    ]
    for source_model, model_admin in admin.site._registry.items():
        for owner, fields in [(source_model, model_admin.autocomplete_fields)] + [
            (inline.model, inline.autocomplete_fields) for inline in model_admin.inlines
        ]:
            urls += [
                f"/admin/autocomplete/?app_label={owner._meta.app_label}"
                f"&model_name={owner._meta.model_name}&field_name={name}&term={CANARY[:-1]}"
                for name in fields
            ]
    return urls


def _login(world: World, role: str) -> Client:
    client = Client()
    if role == "no_role":
        client.force_login(world.no_role)
    elif role != "anonymous":
        client.force_login(getattr(world.cast, role))
    return client


def crawl(world: World, role: str, *, writes: bool) -> Crawl:
    run = Crawl(_login(world, role))
    for path in _routes():
        if path in ("/accounts/logout/", "/admin/logout/"):
            continue  # signing out would end the crawl's session
        for url in _expand(world, path):
            run.visit("get", url)
            if writes and PLACEHOLDER.search(path):
                run.visit("post", url, WRITE_DATA)
    for url in _aimed_at_b(world):
        run.visit("get", url)
    if writes:
        b_ids = [i.pk for i in world.b_items]
        for pk in b_ids:
            run.visit("patch", f"/api/v1/work-items/{pk}/", {"title": "Overwritten"})
            run.visit("delete", f"/api/v1/work-items/{pk}/?cascade=true")
            run.visit("post", f"/api/v1/work-items/{pk}/move/", {"parent": None})
        run.visit("post", "/api/v1/work-items/bulk/", {"ids": b_ids, "status": "completed"})
        run.visit(
            "post", "/api/v1/work-items/", {"work_type": "task", "title": "x", "parent": b_ids[0]}
        )
        run.visit(
            "post",
            "/admin/accounts/team/add/",
            {
                "organization": world.cast.partner.pk,
                "name": "Planted",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )
    followed = 0
    while run.queue and followed < LINK_BUDGET:
        url = run.queue.pop(0)
        if ("get", url) not in run.seen and "logout" not in url:
            followed += 1
            run.visit("get", url)
    return run


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_organisation_a_sees_or_changes_anything_of_b(world, role):
    before = b_snapshot(world)
    run = crawl(world, role, writes=True)
    assert len(run.seen) > 150, "the crawl reached too little to mean anything"
    assert not run.errors, "\n".join(run.errors)
    assert not run.leaks, "\n".join(run.leaks)
    assert b_snapshot(world) == before
    # The same crawl shows A's own work to A's roles (and none to no role or anonymous), so
    # "no canary" cannot come from a crawl that saw nothing.
    assert run.saw_own == (role in ("manager", "staff", "viewer"))


@pytest.mark.parametrize(
    ("broken", "role", "leak"),
    [
        ("visible_items", "viewer", lambda qs, user: qs),
        ("visible_people", "manager", lambda user, queryset=None: _everyone(queryset)),
        ("visible_teams", "staff", lambda user, queryset=None: _all_teams(queryset)),
    ],
)
def test_the_crawl_finds_canaries_when_visibility_is_broken(world, broken, role, leak):
    with mock.patch.object(permissions, broken, leak):
        run = crawl(world, role, writes=False)
    assert run.leaks, f"with {broken} broken the crawl should have found B's canaries"


def _everyone(queryset):
    from accounts.models import User

    return User.objects.all() if queryset is None else queryset


def _all_teams(queryset):
    from accounts.models import Team

    return Team.objects.all() if queryset is None else queryset
