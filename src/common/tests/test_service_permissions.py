"""The service layer enforces who may create, edit, move and delete, whatever the caller."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from common.models import WorkItem
from common.services import (
    WritesDisabled,
    create_work_item,
    delete_work_item,
    update_work_item,
)
from testing.builders import item


@pytest.fixture
def office_project(cast):
    return item("project", "Office project", organization=cast.office)


def test_a_viewer_cannot_create_or_edit(cast, office_project):
    with pytest.raises(PermissionDenied):
        create_work_item(cast.viewer, work_type="task", title="Mine", parent=office_project)
    with pytest.raises(PermissionDenied):
        update_work_item(cast.viewer, office_project, title="Renamed")


def test_staff_edit_what_they_are_assigned_to_and_nothing_else(cast, office_project):
    assigned = item("activity", "Assigned", parent=office_project, assignees=[cast.staff])
    other = item("activity", "Other", parent=office_project)
    update_work_item(cast.staff, assigned, title="Assigned, renamed")
    with pytest.raises(PermissionDenied):
        update_work_item(cast.staff, other, title="Not mine")


def test_staff_edit_what_their_team_is_assigned_to(cast, office_project):
    team_item = item("activity", "Team work", parent=office_project, teams=[cast.field_team])
    assert update_work_item(cast.staff, team_item, progress=20).progress == 20


def test_staff_add_children_under_their_items_and_own_what_they_create(cast, office_project):
    assigned = item("activity", parent=office_project, assignees=[cast.staff])
    task = create_work_item(cast.staff, work_type="task", title="Prepare", parent=assigned)
    assert task.created_by == cast.staff
    update_work_item(cast.staff, task, progress=50)
    with pytest.raises(PermissionDenied):
        create_work_item(cast.staff, work_type="task", title="Nope", parent=office_project)


def test_staff_delete_only_what_they_created(cast, office_project):
    own = create_work_item(cast.staff, work_type="task", title="Own task")
    delete_work_item(cast.staff, own)
    others = item("task", parent=office_project, assignees=[cast.staff])
    with pytest.raises(PermissionDenied):
        delete_work_item(cast.staff, others)


def test_managers_edit_and_delete_everything_in_their_organisation(cast, office_project):
    item("activity", parent=office_project)
    update_work_item(cast.manager, office_project, title="Renamed by the manager")
    assert delete_work_item(cast.manager, office_project, cascade=True) == 2


def test_nobody_but_administrators_touches_another_organisations_items(cast):
    partner_item = item("project", organization=cast.partner)
    for person in (cast.manager, cast.staff, cast.viewer):
        with pytest.raises(PermissionDenied):
            update_work_item(person, partner_item, title="Hijacked")
    with pytest.raises(PermissionDenied):
        create_work_item(
            cast.partner_staff,
            work_type="task",
            title="x",
            parent=item("project", organization=cast.office),
        )
    update_work_item(cast.administrator, partner_item, title="Fixed by the administrator")


def test_top_level_items_are_created_in_the_creators_organisation(cast):
    task = create_work_item(cast.partner_staff, work_type="task", title="Partner task")
    assert task.organization == cast.partner
    with pytest.raises(PermissionDenied):
        create_work_item(cast.staff, work_type="task", title="x", organization=cast.partner)


@override_settings(
    FEATURE_FLAGS={
        "USE_WORKITEM_MODEL": False,
        "USE_UNIFIED_CALENDAR": True,
        "DUAL_WRITE_ENABLED": False,
        "LEGACY_MODELS_READONLY": True,
    }
)
def test_before_cut_over_people_cannot_write_but_system_jobs_can(cast):
    with pytest.raises(WritesDisabled) as refused:
        create_work_item(cast.administrator, work_type="task", title="Too early")
    assert "read-only until the cut-over" in str(refused.value)
    imported = create_work_item(None, work_type="task", title="Imported", organization=cast.office)
    assert WorkItem.objects.filter(pk=imported.pk).exists()
