"""The People page: managers run their own organisation's people, never another's.

A manager sees, invites into, re-roles and deactivates people of their own organisation only,
and never gives (or takes from someone holding) a role above their own; administrators choose
any organisation. Bad input answers 400 with the reason, never a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import services
from accounts.models import Organization, User
from accounts.roles import ADMINISTRATOR, MANAGER, STAFF, VIEWER
from common import permissions
from testing.cast import make_user

PEOPLE = "/people/"


@pytest.fixture
def partner_manager(cast) -> User:
    return make_user("pilar", cast.partner, MANAGER, is_staff=True)


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_a_manager_sees_only_their_own_organisations_people(client, cast):
    page = signed_in(client, cast.manager).get(PEOPLE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "sofia" in text and "victor" in text
    assert "paolo" not in text
    # Asking for the partner's list still shows the own organisation.
    other = client.get(f"{PEOPLE}?organization={cast.partner.pk}").content.decode()
    assert "paolo" not in other


def test_an_administrator_chooses_any_organisation(client, cast):
    page = signed_in(client, cast.administrator).get(f"{PEOPLE}?organization={cast.partner.pk}")
    assert page.status_code == 200
    assert "paolo" in page.content.decode()
    assert "sofia" not in page.content.decode()


@pytest.mark.parametrize("who", ["staff", "viewer", "partner_staff"])
def test_people_without_the_manager_role_are_refused_with_a_sentence(client, cast, who):
    page = signed_in(client, getattr(cast, who)).get(PEOPLE)
    assert page.status_code == 403
    assert "Only managers and administrators manage people" in page.content.decode()


def test_a_manager_cannot_change_or_deactivate_people_of_another_organisation(client, cast):
    signed_in(client, cast.manager)
    role = client.post(f"{PEOPLE}{cast.partner_staff.pk}/role/", {"role": VIEWER})
    off = client.post(f"{PEOPLE}{cast.partner_staff.pk}/deactivate/")
    assert (role.status_code, off.status_code) == (404, 404)
    cast.partner_staff.refresh_from_db()
    assert cast.partner_staff.is_active and cast.partner_staff.role == STAFF


def test_a_manager_cannot_invite_into_another_organisation(client, cast):
    signed_in(client, cast.manager)
    response = client.post(
        f"{PEOPLE}invite/",
        {"email": "x@example.org", "role": STAFF, "organization": cast.partner.pk},
    )
    assert response.status_code == 400
    assert "You cannot invite people into that organisation." in response.content.decode()
    with pytest.raises(services.PermissionDenied):
        services.invite(cast.manager, email="y@example.org", organization=cast.partner, role=STAFF)


def test_a_manager_changes_a_role_in_their_organisation(client, cast):
    response = signed_in(client, cast.manager).post(
        f"{PEOPLE}{cast.viewer.pk}/role/", {"role": STAFF}
    )
    assert response.status_code == 302
    victor = User.objects.get(pk=cast.viewer.pk)
    assert victor.role == STAFF
    assert victor.has_perm("common.add_workitem")


def test_making_someone_a_manager_opens_the_admin_for_them_and_taking_it_closes_it(client, cast):
    signed_in(client, cast.manager).post(f"{PEOPLE}{cast.staff.pk}/role/", {"role": MANAGER})
    assert User.objects.get(pk=cast.staff.pk).is_staff
    client.post(f"{PEOPLE}{cast.staff.pk}/role/", {"role": VIEWER})
    assert not User.objects.get(pk=cast.staff.pk).is_staff


def test_a_manager_never_gives_a_role_above_their_own(client, cast):
    response = signed_in(client, cast.manager).post(
        f"{PEOPLE}{cast.viewer.pk}/role/", {"role": ADMINISTRATOR}
    )
    assert response.status_code == 400
    assert "Choose a role you may give (Viewer, Staff, Manager)" in response.content.decode()
    assert User.objects.get(pk=cast.viewer.pk).role == VIEWER
    assert ADMINISTRATOR not in permissions.grantable_roles(cast.manager)


def test_a_manager_cannot_touch_an_administrator_or_themselves(client, cast):
    signed_in(client, cast.manager)
    assert client.post(f"{PEOPLE}{cast.administrator.pk}/deactivate/").status_code == 403
    assert (
        client.post(f"{PEOPLE}{cast.administrator.pk}/role/", {"role": VIEWER}).status_code == 403
    )
    assert client.post(f"{PEOPLE}{cast.manager.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=cast.administrator.pk).role == ADMINISTRATOR
    assert User.objects.get(pk=cast.manager.pk).is_active


def test_deactivating_stops_sign_in_and_reactivating_restores_it(cast):
    services.set_active(cast.manager, cast.staff, active=False)
    browser = Client()
    assert not browser.login(username="sofia", password="correct horse battery staple")
    services.set_active(cast.manager, cast.staff, active=True)
    assert browser.login(username="sofia", password="correct horse battery staple")


def test_deactivate_and_reactivate_from_the_page(client, cast):
    signed_in(client, cast.manager)
    client.post(f"{PEOPLE}{cast.staff.pk}/deactivate/")
    assert not User.objects.get(pk=cast.staff.pk).is_active
    page = client.get(PEOPLE).content.decode()
    assert "Deactivated" in page and "Reactivate Sofia" in page
    client.post(f"{PEOPLE}{cast.staff.pk}/reactivate/")
    assert User.objects.get(pk=cast.staff.pk).is_active


def test_an_administrator_manages_a_partner_organisations_people(client, cast, partner_manager):
    signed_in(client, cast.administrator)
    client.post(f"{PEOPLE}{cast.partner_staff.pk}/role/", {"role": VIEWER})
    assert User.objects.get(pk=cast.partner_staff.pk).role == VIEWER
    # The partner's own manager runs the partner's people, and not the office's.
    signed_in(client, partner_manager)
    assert client.post(f"{PEOPLE}{cast.partner_staff.pk}/role/", {"role": STAFF}).status_code == 302
    assert client.post(f"{PEOPLE}{cast.staff.pk}/deactivate/").status_code == 404


@pytest.mark.parametrize("role", ["", "Owner", "x" * 300])
def test_a_bad_role_is_a_400_with_the_reason(client, cast, role):
    response = signed_in(client, cast.manager).post(
        f"{PEOPLE}{cast.viewer.pk}/role/", {"role": role}
    )
    assert response.status_code == 400
    assert "Choose a role you may give" in response.content.decode()


def test_the_manager_role_grants_managing_people_and_staff_do_not(cast):
    assert permissions.can_manage_people(cast.manager, cast.office)
    assert not permissions.can_manage_people(cast.manager, cast.partner)
    assert permissions.can_manage_people(cast.administrator, cast.partner)
    assert not permissions.can_manage_people(cast.staff, cast.office)
    other = Organization.objects.create(name="Elsewhere")
    assert set(permissions.people_organizations(cast.manager)) == {cast.office}
    assert other in permissions.people_organizations(cast.administrator)


def test_the_nav_shows_people_to_managers_only(client, cast):
    assert 'href="/people/"' in signed_in(client, cast.manager).get("/").content.decode()
    assert 'href="/people/"' not in signed_in(client, cast.staff).get("/").content.decode()


def test_the_admins_actions_use_the_same_rules(client, cast):
    signed_in(client, cast.administrator)
    ids = [cast.staff.pk, cast.administrator.pk]
    client.post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": ids},
    )
    assert not User.objects.get(pk=cast.staff.pk).is_active
    assert User.objects.get(pk=cast.administrator.pk).is_active  # never oneself
