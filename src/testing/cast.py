"""The people every test speaks about.

The office (OOBC) has an administrator, a manager, a staff member and a viewer; a partner
agency (a ministry) has a staff member of its own. Tests read as sentences about these people:
"the viewer cannot edit", "the partner's staff member never sees the office's items".
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organization, Team, TeamMembership, User
from accounts.roles import ADMINISTRATOR, MANAGER, STAFF, VIEWER, assign_role


@dataclass
class Cast:
    office: Organization
    partner: Organization
    administrator: User
    manager: User
    staff: User
    viewer: User
    partner_staff: User
    field_team: Team
    partner_team: Team


#: Every cast member's password, for tests that sign in through the form.
PASSWORD = "correct horse battery staple"


def make_user(username: str, organization: Organization, role: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organization=organization,
        first_name=extra.pop("first_name", username.title()),
        **extra,
    )
    assign_role(user, role)
    return User.objects.get(pk=user.pk)


def build_cast() -> Cast:
    office = Organization.objects.create(
        name="Office for Other Bangsamoro Communities", acronym="OOBC", kind="office"
    )
    partner = Organization.objects.create(
        name="Ministry of Social Services", acronym="MSSD", kind="partner"
    )
    administrator = make_user("ana", office, ADMINISTRATOR, is_staff=True)
    manager = make_user("marco", office, MANAGER, is_staff=True)
    staff = make_user("sofia", office, STAFF)
    viewer = make_user("victor", office, VIEWER)
    partner_staff = make_user("paolo", partner, STAFF)
    field_team = Team.objects.create(organization=office, name="Field Coordination")
    TeamMembership.objects.create(team=field_team, user=staff)
    partner_team = Team.objects.create(organization=partner, name="Partner Liaison")
    TeamMembership.objects.create(team=partner_team, user=partner_staff)
    return Cast(
        office,
        partner,
        administrator,
        manager,
        staff,
        viewer,
        partner_staff,
        field_team,
        partner_team,
    )
