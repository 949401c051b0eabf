"""Legacy people and teams, matched to ours (or created) once per run.

People are matched by username (exactly, then ignoring case), teams by name within the target
organisation. Missing ones are created in the target organisation: people keep their name,
e-mail, active flag and password hash (Django hashes carry over, so they sign in as before) and
get the Staff role when they were office staff in the old system, Viewer otherwise; teams keep
their description and active members. A matched person of another organisation, or an inactive
one, cannot be assigned here; the importer reports each such case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Organization, Team, TeamMembership, User

STAFF_TYPES = {"admin", "oobc_staff"}


@dataclass
class PeopleMap:
    organization: Organization
    #: legacy user id → our user id (only people who may be assigned here)
    users: dict[int, int] = field(default_factory=dict)
    #: legacy user id → our user id, whoever they are (for "created by")
    known: dict[int, int] = field(default_factory=dict)
    teams: dict[int, int] = field(default_factory=dict)
    created_users: list[str] = field(default_factory=list)
    created_teams: list[str] = field(default_factory=list)
    not_assignable: dict[int, str] = field(default_factory=dict)
    legacy_usernames: dict[int, str] = field(default_factory=dict)

    def user_ids(self, legacy_ids, notes: list[str], role: str) -> list[int]:
        """Our ids for `legacy_ids`, noting each person who cannot be carried."""
        result = []
        for legacy_id in legacy_ids:
            if legacy_id in self.users:
                result.append(self.users[legacy_id])
            else:
                who = self.legacy_usernames.get(legacy_id, f"user #{legacy_id}")
                reason = self.not_assignable.get(legacy_id, "not in the old user table")
                notes.append(f"{role} {who} not carried: {reason}")
        return sorted(set(result))


def _our_people(legacy_users: list[dict]) -> Callable[[str], User | None]:
    """Who each old user name is here: the same user name, else the same one in any case.

    One query for the exact names; only when some are missing, one more for everyone (an
    office has hundreds of people), so both `build_people` and `plan_people` match alike.
    """
    ours = {
        u.username: u
        for u in User.objects.filter(username__in=[u["username"] for u in legacy_users])
    }
    lowered: dict[str, User] = {}
    if any(u["username"] not in ours for u in legacy_users):
        for user in User.objects.order_by("pk"):
            lowered.setdefault(user.username.lower(), user)
    return lambda username: ours.get(username) or lowered.get(username.lower())


def build_people(
    organization: Organization,
    legacy_users: list[dict],
    legacy_teams: list[dict],
    memberships: list[dict],
    *,
    create: bool,
) -> PeopleMap:
    people = PeopleMap(organization)
    people.legacy_usernames = {u["id"]: u["username"] for u in legacy_users}
    our_person = _our_people(legacy_users)
    staff = Group.objects.filter(name=roles.STAFF).first()
    viewer = Group.objects.filter(name=roles.VIEWER).first()
    for legacy in legacy_users:
        user = our_person(legacy["username"])
        if user is None and create:
            user = User(
                username=legacy["username"],
                first_name=legacy["first_name"][:150],
                last_name=legacy["last_name"][:150],
                email=legacy["email"],
                is_active=legacy["is_active"],
                organization=organization,
                password=legacy["password"] or "!",
            )
            user.save()
            group = staff if legacy["user_type"] in STAFF_TYPES else viewer
            if group is not None:
                user.groups.add(group)
            people.created_users.append(user.username)
        if user is None:
            people.not_assignable[legacy["id"]] = "no such person here yet"
            continue
        people.known[legacy["id"]] = user.pk
        if not user.is_active:
            people.not_assignable[legacy["id"]] = "inactive"
        elif user.organization_id != organization.pk:
            people.not_assignable[legacy["id"]] = "belongs to another organisation"
        else:
            people.users[legacy["id"]] = user.pk

    by_name = {t.name.lower(): t for t in Team.objects.filter(organization=organization)}
    for legacy in legacy_teams:
        team = by_name.get(legacy["name"].lower())
        if team is None and create:
            team = Team.objects.create(
                organization=organization,
                name=legacy["name"][:150],
                description=legacy["description"],
                is_active=legacy["is_active"],
            )
            TeamMembership.objects.bulk_create(
                [
                    TeamMembership(
                        team=team, user_id=people.users[m["user_id"]], is_lead=m["role"] == "lead"
                    )
                    for m in memberships
                    if m["team_id"] == legacy["id"]
                    and m["is_active"]
                    and m["user_id"] in people.users
                ],
                ignore_conflicts=True,
            )
            people.created_teams.append(team.name)
        if team is not None:
            people.teams[legacy["id"]] = team.pk
    return people


def plan_people(
    organization: Organization,
    legacy_users: list[dict],
    legacy_teams: list[dict],
) -> PeopleMap:
    """The people map a run *will* have, in legacy ids, without creating anyone.

    Staged rows name people and teams by their legacy ids (people created by the run do not exist
    until its final step); `build_people(create=True)` then turns them into ours. Who may be
    assigned is decided exactly as `build_people` decides it: a person created here belongs to
    the organisation and is active as they were in the old system.
    """
    people = PeopleMap(organization)
    people.legacy_usernames = {u["id"]: u["username"] for u in legacy_users}
    our_person = _our_people(legacy_users)
    for legacy in legacy_users:
        user = our_person(legacy["username"])
        people.known[legacy["id"]] = legacy["id"]
        if user is None:
            active, organization_id = legacy["is_active"], organization.pk
        else:
            active, organization_id = user.is_active, user.organization_id
        if not active:
            people.not_assignable[legacy["id"]] = "inactive"
        elif organization_id != organization.pk:
            people.not_assignable[legacy["id"]] = "belongs to another organisation"
        else:
            people.users[legacy["id"]] = legacy["id"]
    people.teams = {t["id"]: t["id"] for t in legacy_teams}
    return people
