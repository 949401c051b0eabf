"""Two organisations side by side, for tests that prove one never sees the other.

The cast's office is organisation A; the partner agency is organisation B. Every text field of
B's records carries a canary (`CANARY` plus a tag), so a test can crawl anything as A's people
and look for the one word. A's own records carry `OWN_CANARY` so the same tests can check that
the own side *is* shown (a crawl that sees nothing would otherwise pass).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import QueryDict
from django.utils import timezone

from accounts.models import (
    ApiToken,
    Invitation,
    Organization,
    SignInLockout,
    Team,
    TeamMembership,
    User,
)
from accounts.roles import MANAGER, STAFF, VIEWER
from common.calendar import subscriptions
from common.models import CalendarSubscription, WorkItem
from common.services import link_items
from notifications.models import Notification
from operations.models import Feedback, RequestTiming
from testing.builders import item
from testing.cast import Cast, make_user

CANARY = "zqxcanary"
OWN_CANARY = "ownmarker"


def canary(tag: str) -> str:
    return f"{CANARY}{tag}"


def own(tag: str) -> str:
    return f"{OWN_CANARY}{tag}"


@dataclass
class World:
    """The cast plus B's records (`other`) and A's matching ones (`own`), per model label."""

    cast: Cast
    own: dict[str, Model] = field(default_factory=dict)
    other: dict[str, Model] = field(default_factory=dict)
    b_items: list[WorkItem] = field(default_factory=list)
    b_people: list[User] = field(default_factory=list)
    b_subscription: CalendarSubscription | None = None
    b_invitation: Invitation | None = None
    b_comment: Model | None = None
    b_attachment: Model | None = None
    b_webhook: Model | None = None
    b_delivery: Model | None = None
    no_role: User | None = None


def _items(org: Organization, mark, people: list[User], team: Team) -> list[WorkItem]:
    today = timezone.localdate()
    project = item(
        "project",
        mark("project"),
        organization=org,
        actor=None,
        description=mark("projectdescription"),
        start_date=today,
        due_date=today + dt.timedelta(days=20),
        details={"objectives": mark("objectives"), "funding_source": mark("funding")},
        assignees=people,
        teams=[team],
        reason=mark("reason"),
    )
    activity = item(
        "activity",
        mark("activity"),
        parent=project,
        description=mark("activitydescription"),
        start_date=today + dt.timedelta(days=1),
        due_date=today + dt.timedelta(days=2),
        details={"venue": mark("venue"), "address": mark("address")},
        assignees=people,
    )
    task = item(
        "task",
        mark("task"),
        parent=activity,
        description=mark("taskdescription"),
        due_date=today - dt.timedelta(days=1),
        details={"deliverable_type": mark("deliverable")},
        assignees=people,
        teams=[team],
    )
    link_items(None, project, task)
    return [project, activity, task]


def build_world(cast: Cast) -> World:
    """B (the partner) full of canaries, A (the office) with its own marked records."""
    world = World(cast)
    partner, office = cast.partner, cast.office
    Organization.objects.filter(pk=partner.pk).update(
        name=canary("orgname"), acronym=canary("acr")[:30]
    )
    partner.refresh_from_db()
    User.objects.filter(pk=cast.partner_staff.pk).update(
        first_name=canary("first"), last_name=canary("last"), email=f"{canary('mail')}@b.example"
    )
    b_manager = make_user(
        canary("user"), partner, MANAGER, first_name=canary("mgrfirst"), is_staff=True
    )
    world.b_people = [User.objects.get(pk=cast.partner_staff.pk), b_manager]
    Team.objects.filter(pk=cast.partner_team.pk).update(
        name=canary("team"), description=canary("teamdescription")
    )
    b_team = Team.objects.get(pk=cast.partner_team.pk)
    TeamMembership.objects.get_or_create(team=b_team, user=b_manager)
    Team.objects.filter(pk=cast.field_team.pk).update(name=own("team"))
    Organization.objects.filter(pk=office.pk).update(name=own("orgname"))
    User.objects.filter(pk=cast.staff.pk).update(last_name=own("last"))

    world.b_items = _items(partner, canary, world.b_people, b_team)
    _items(office, own, [cast.staff], Team.objects.get(pk=cast.field_team.pk))

    for person, mark in ((world.b_people[0], canary), (cast.staff, own)):
        Notification.objects.create(
            user=person,
            kind=Notification.Kind.ASSIGNED,
            work_item=WorkItem.objects.filter(organization=person.organization).first(),
            message=mark("notification"),
            email_body=mark("mailbody"),
        )
    world.b_subscription, _token = subscriptions.issue(
        world.b_people[0], canary("subscription"), QueryDict()
    )

    # An invitation into B waiting to be accepted: the People page must never show or touch it.
    world.b_invitation = Invitation.objects.create(
        email=f"{canary('invite')}@b.example",
        organization=partner,
        role=STAFF,
        first_name=canary("invitee"),
        invited_by=b_manager,
        nonce="b",
    )

    # B's conversation: a comment on one of its items, and B's manager watching it.
    from collaboration.services import post_comment

    world.b_comment = post_comment(b_manager, world.b_items[0], canary("comment"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from collaboration.attachments import attach_files

    [world.b_attachment] = attach_files(
        b_manager,
        world.b_items[0],
        [SimpleUploadedFile(f"{canary('filename')}.txt", canary("filebody").encode())],
    )

    _webhook(world, b_manager)

    world.no_role = User.objects.create_user(
        "nora", password="correct horse battery staple", organization=office, is_staff=True
    )
    _per_model(world)
    return world


def _webhook(world: World, b_manager: User) -> None:
    """B's outgoing webhook with one logged delivery: its name, address, secret and log."""
    from integrations.models import Attempt, Delivery, Webhook

    world.b_webhook = Webhook.objects.create(
        organization=world.cast.partner,
        name=canary("webhook"),
        url=f"https://{canary('hookhost')}.example/in",
        events=["item.created"],
        secret=canary("secret"),
        created_by=b_manager,
    )
    world.b_delivery = Delivery.objects.create(
        webhook=world.b_webhook,
        event="item.created",
        work_item_id=world.b_items[0].pk,
        body=f'{{"item": "{canary("deliverybody")}"}}',
        state=Delivery.State.FAILED,
        attempts=1,
    )
    Attempt.objects.create(
        delivery=world.b_delivery, number=1, status_code=404, response_excerpt=canary("excerpt")
    )


def _per_model(world: World) -> None:
    """One record of each admin-registered model on each side, with a canary where it shows."""
    from legacy.models import OutboxEntry

    cast = world.cast
    b_person = world.b_people[0]
    # A's person on record: not one of the cast, whose names the page header shows when they
    # are the one signed in.
    a_person = make_user("olga", cast.office, VIEWER, last_name=own("person"))
    b_token, _ = ApiToken.issue(b_person, name=canary("token"))
    a_token, _ = ApiToken.issue(cast.staff, name=own("token"))
    world.other.update(
        {
            "common.workitem": world.b_items[0],
            "accounts.organization": Organization.objects.get(pk=cast.partner.pk),
            "accounts.user": b_person,
            "accounts.team": Team.objects.get(pk=cast.partner_team.pk),
            "accounts.apitoken": b_token,
            "operations.feedback": Feedback.objects.create(
                user=b_person, rating=2, comment=canary("feedback"), page=canary("page")
            ),
        }
    )
    world.own.update(
        {
            "common.workitem": WorkItem.objects.get(title=own("project")),
            "accounts.organization": Organization.objects.get(pk=cast.office.pk),
            "accounts.user": a_person,
            "accounts.team": Team.objects.get(pk=cast.field_team.pk),
            "accounts.apitoken": a_token,
            "operations.feedback": Feedback.objects.create(
                user=cast.staff, rating=4, comment=own("feedback"), page=own("page")
            ),
        }
    )
    # Records that belong to no organisation: only people who see every organisation see them.
    global_records = {
        "auth.group": Group.objects.create(name=canary("group")),
        "operations.requesttiming": RequestTiming.objects.create(
            view=canary("timing"), duration_ms=1.0, status=200
        ),
        "legacy.outboxentry": OutboxEntry.objects.create(
            work_item_id=world.b_items[0].pk,
            legacy_source=canary("src")[:40],
            legacy_id="1",
            action=OutboxEntry.Action.values[0],
            note=canary("outbox"),
        ),
        "accounts.signinlockout": SignInLockout.objects.create(
            kind=SignInLockout.Kind.ACCOUNT,
            key=canary("lockout"),
            failures=5,
            locked_until=timezone.now() + dt.timedelta(minutes=5),
        ),
    }
    world.other.update(global_records)
    world.own.update(global_records)
    _saved_views(world, b_person)


def _saved_views(world: World, b_person: User) -> None:
    """B's saved views, one private and one shared with B's organisation (not admin models)."""
    from planning.models import SavedView

    for visibility in (SavedView.Visibility.PRIVATE, SavedView.Visibility.ORGANIZATION):
        world.other[f"planning.savedview.{visibility}"] = SavedView.objects.create(
            owner=b_person,
            organization=world.cast.partner,
            name=canary(f"view-{visibility}"),
            view_type=SavedView.ViewType.BOARD,
            params=[["q", canary("query")]],
            visibility=visibility,
        )


#: What shows each own record on its admin pages (a field none of A's page headers carries).
OWN_MARKS = {
    "common.workitem": own("project"),
    "accounts.organization": own("orgname"),
    "accounts.user": own("person"),
    "accounts.team": own("team"),
    "accounts.apitoken": own("token"),
    "operations.feedback": own("feedback"),
}

GLOBAL_MODELS = {
    "auth.group",
    "operations.requesttiming",
    "legacy.outboxentry",
    "accounts.signinlockout",
}


def b_snapshot(world: World) -> dict[str, list]:
    """Every stored value of B's records, to prove a crawl wrote nothing into B."""
    from collaboration.models import Attachment, Comment, Watch
    from integrations.models import Delivery, Webhook

    partner = world.cast.partner.pk
    b_item_ids = list(WorkItem.objects.filter(organization_id=partner).values_list("pk", flat=True))
    from planning.models import SavedView

    return {
        "saved_views": list(SavedView.objects.filter(organization_id=partner).values()),
        "items": list(WorkItem.objects.filter(pk__in=b_item_ids).order_by("pk").values()),
        "assignments": sorted(
            WorkItem.assignees.through.objects.filter(workitem_id__in=b_item_ids).values_list(
                "workitem_id", "user_id"
            )
        ),
        "history": WorkItem.history.filter(id__in=b_item_ids).count(),
        "organization": list(Organization.objects.filter(pk=partner).values()),
        "people": list(User.objects.filter(organization_id=partner).order_by("pk").values()),
        "teams": list(Team.objects.filter(organization_id=partner).order_by("pk").values()),
        "members": sorted(
            TeamMembership.objects.filter(team__organization_id=partner).values_list(
                "team_id", "user_id"
            )
        ),
        "notifications": list(
            Notification.objects.filter(user__organization_id=partner).order_by("pk").values()
        ),
        "subscriptions": list(
            CalendarSubscription.objects.filter(user__organization_id=partner)
            .order_by("pk")
            .values()
        ),
        "tokens": list(
            ApiToken.objects.filter(user__organization_id=partner).order_by("pk").values()
        ),
        "roles": sorted(
            User.groups.through.objects.filter(user__organization_id=partner).values_list(
                "user_id", "group_id"
            )
        ),
        "invitations": list(
            Invitation.objects.filter(organization_id=partner).order_by("pk").values()
        ),
        "comments": list(
            Comment.objects.filter(work_item__organization_id=partner).order_by("pk").values()
        ),
        "attachments": list(
            Attachment.objects.filter(work_item__organization_id=partner).order_by("pk").values()
        ),
        "webhooks": list(Webhook.objects.filter(organization_id=partner).order_by("pk").values()),
        "deliveries": list(
            Delivery.objects.filter(webhook__organization_id=partner).order_by("pk").values()
        ),
        "watches": sorted(
            Watch.objects.filter(work_item__organization_id=partner).values_list(
                "work_item_id", "user_id", "subtree"
            )
        ),
    }
