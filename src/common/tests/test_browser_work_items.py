"""In a real browser: create, expand, drag to another activity, conflicting edit, delete."""

import pytest

from common.models import WorkItem
from common.services import update_work_item
from testing.a11y import assert_accessible
from testing.browser import arrive_at, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expand(page, work_item) -> None:
    """Open a row's children and wait until they are in the table."""
    page.wait_for_selector("#tree-body[aria-busy=false]")  # remembered rows are re-opened
    button = page.locator(f"#row-{work_item.pk} .expander")
    button.wait_for()
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    page.wait_for_selector(f"#row-{work_item.pk} .expander[aria-expanded=true]")
    page.wait_for_selector(f"tr.tree-row[data-parent='{work_item.pk}']")


def create_through_form(page, title: str) -> None:
    page.fill("#id_title", title)
    page.click("button:has-text('Create')")
    arrive_at(page, title)


def test_a_manager_plans_reorganises_and_cleans_up_a_project(page, live_server, cast):
    sign_in(page, live_server, "marco")
    page.click("nav >> text=Work items")
    page.click("text=New project")
    create_through_form(page, "River clean-up drive")
    project = WorkItem.objects.get(title="River clean-up drive")

    page.click("text=Add activity")
    create_through_form(page, "Barangay assembly")
    page.goto(f"{live_server.url}/oobc-management/work-items/{project.pk}/")
    page.click("text=Add activity")
    create_through_form(page, "Volunteer orientation")
    page.click("text=Add task")
    page.fill("#id_title", "placeholder")  # typed over below; proves the form keeps input
    page.fill("#id_title", "Print flyers")
    page.click("button:has-text('Create')")
    arrive_at(page, "Print flyers")
    task = WorkItem.objects.get(title="Print flyers")
    orientation = WorkItem.objects.get(title="Volunteer orientation")
    assembly = WorkItem.objects.get(title="Barangay assembly")
    assert task.parent_id == orientation.pk

    # Expand the tree down to the task.
    page.goto(f"{live_server.url}/oobc-management/work-items/")
    expand(page, project)
    expand(page, orientation)
    page.wait_for_selector(f"#row-{task.pk}")
    screenshot(page, "tree-expanded")
    assert_accessible(page)

    # Drag the task onto the other activity: it moves there, and the tree stays expanded.
    page.drag_and_drop(f"#row-{task.pk} td:nth-child(2)", f"#row-{assembly.pk} td:nth-child(2)")
    page.wait_for_selector("text=“Print flyers” was moved.")
    assert WorkItem.objects.get(pk=task.pk).parent_id == assembly.pk
    expand(page, assembly)
    page.wait_for_selector(f"#row-{task.pk}")
    screenshot(page, "tree-after-drag")

    # An invalid drop (an activity onto a task) snaps back with the reason.
    page.drag_and_drop(f"#row-{orientation.pk} td:nth-child(2)", f"#row-{task.pk} td:nth-child(2)")
    page.wait_for_selector("text=cannot be placed under a Task")
    assert WorkItem.objects.get(pk=orientation.pk).parent_id == project.pk

    # Someone else saves while the manager edits: the conflict is shown, nothing is lost.
    page.goto(f"{live_server.url}/oobc-management/work-items/{task.pk}/edit/")
    update_work_item(cast.administrator, task.pk, title="Print flyers and posters")
    page.fill("#id_title", "Print flyers (bilingual)")
    page.click("button:has-text('Save')")
    page.wait_for_selector("[data-testid=conflict]")
    assert "changed by Ana since you opened it" in page.inner_text("[data-testid=conflict]")
    screenshot(page, "edit-conflict")
    assert_accessible(page)
    assert WorkItem.objects.get(pk=task.pk).title == "Print flyers and posters"

    # Delete the project with everything below it.
    page.goto(f"{live_server.url}/oobc-management/work-items/{project.pk}/delete/")
    assert "3 items below it would be affected" in page.inner_text("[data-testid=descendant-count]")
    page.check("input[value=cascade]")
    page.click("button:has-text('Delete')")
    page.wait_for_selector("text=was deleted (4 items)")
    screenshot(page, "after-delete")
    assert_accessible(page)
    assert not WorkItem.objects.filter(root_id=project.pk).exists()
    assert page.problems == []


def test_a_viewer_cannot_drag_rows(page, live_server, cast):
    from testing.builders import item

    item("project", "Read-only project", organization=cast.office)
    sign_in(page, live_server, "victor")
    page.goto(f"{live_server.url}/oobc-management/work-items/")
    row = page.locator("tr.tree-row", has_text="Read-only project")
    assert_accessible(page)
    assert row.get_attribute("draggable") is None
    assert row.locator("select").count() == 0
