"""Teams stay in their organisation: created only in one's own, never moved, members from inside."""

from __future__ import annotations

from accounts.models import Team

ADD = "/admin/accounts/team/add/"


def team_form(organization, name="New team", **extra):
    return {
        "organization": str(organization.pk),
        "name": name,
        "description": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **extra,
    }


def test_a_manager_is_offered_only_their_own_organisation(client, cast):
    client.force_login(cast.manager)
    page = client.get(ADD).content.decode()
    assert "Office for Other Bangsamoro Communities" in page or "OOBC" in page
    assert "MSSD" not in page and "Ministry of Social Services" not in page


def test_a_manager_cannot_create_a_team_in_another_organisation(client, cast):
    client.force_login(cast.manager)
    response = client.post(ADD, team_form(cast.partner, name="Planted"))
    assert response.status_code == 200
    assert not Team.objects.filter(name="Planted").exists()
    assert client.post(ADD, team_form(cast.office, name="Ours")).status_code == 302
    assert Team.objects.get(name="Ours").organization == cast.office


def test_no_one_moves_a_team_to_another_organisation(client, cast):
    client.force_login(cast.administrator)
    url = f"/admin/accounts/team/{cast.field_team.pk}/change/"
    memberships = {
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(cast.field_team.memberships.get().pk),
        "memberships-0-team": str(cast.field_team.pk),
        "memberships-0-user": str(cast.staff.pk),
    }
    client.post(url, team_form(cast.partner, name="Field Coordination", **memberships))
    team = Team.objects.get(pk=cast.field_team.pk)
    assert team.organization == cast.office
    assert list(team.members.all()) == [cast.staff]


def mixed_team(organization, member):
    return team_form(
        organization,
        name="Mixed",
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(member.pk),
            "memberships-0-joined_at_0": "2026-01-05",
            "memberships-0-joined_at_1": "09:00:00",
        },
    )


def test_members_come_from_the_team_s_organisation(client, cast):
    client.force_login(cast.administrator)
    response = client.post(ADD, mixed_team(cast.office, cast.partner_staff))
    assert "Only people of the team" in response.content.decode()
    assert not Team.objects.filter(name="Mixed").exists()


def test_a_manager_cannot_even_pick_another_organisation_s_person(client, cast):
    client.force_login(cast.manager)
    response = client.post(ADD, mixed_team(cast.office, cast.partner_staff))
    assert response.status_code == 200
    assert "Paolo" not in response.content.decode()
    assert not Team.objects.filter(name="Mixed").exists()
    assert client.post(ADD, mixed_team(cast.office, cast.staff)).status_code == 302
    assert list(Team.objects.get(name="Mixed").members.all()) == [cast.staff]
