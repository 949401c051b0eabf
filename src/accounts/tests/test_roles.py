"""Roles are Django groups with permissions, created by `migrate` and assigned one at a time."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLES, STAFF, VIEWER, assign_role


def test_migrate_creates_the_four_role_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_each_role_grants_what_it_says(cast):
    assert cast.viewer.has_perm("common.view_workitem")
    assert not cast.viewer.has_perm("common.change_workitem")
    assert cast.staff.has_perm("common.change_workitem")
    assert not cast.staff.has_perm("common.manage_organization_items")
    assert cast.manager.has_perm("common.manage_organization_items")
    assert not cast.manager.has_perm("common.view_all_organizations")
    assert cast.administrator.has_perm("common.view_all_organizations")
    assert cast.administrator.has_perm("common.manage_all_items")


def test_a_person_has_exactly_one_role(cast):
    assign_role(cast.viewer, STAFF)
    assert cast.viewer.role == STAFF
    assert cast.viewer.has_perm("common.change_workitem")
    assign_role(cast.viewer, VIEWER)
    assert list(cast.viewer.groups.values_list("name", flat=True)) == [VIEWER]


def test_an_unknown_role_is_refused(cast):
    with pytest.raises(ValueError, match="Unknown role"):
        assign_role(cast.staff, "Overlord")
