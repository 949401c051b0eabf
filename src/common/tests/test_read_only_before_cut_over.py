"""Before the cut-over (USE_WORKITEM_MODEL=0) people see the read-only state up front: a notice
on every page, no edit controls, and pages that would change something say why instead of
opening a form that can only be refused."""

import pytest
from django.conf import settings
from django.test import override_settings

from testing.builders import item

BEFORE_CUT_OVER = {**settings.FEATURE_FLAGS, "USE_WORKITEM_MODEL": False}
NOTICE = "read-only until the cut-over"

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    return item("project", "Education support", organization=cast.office, actor=cast.manager)


@pytest.fixture
def frozen():
    with override_settings(FEATURE_FLAGS=BEFORE_CUT_OVER):
        yield


def test_every_page_says_work_items_are_read_only(client, cast, project, frozen):
    client.force_login(cast.manager)
    for url in ("/", "/oobc-management/work-items/", f"/oobc-management/work-items/{project.pk}/"):
        page = client.get(url).content.decode()
        assert NOTICE in page, url


def test_the_detail_page_offers_no_edit_move_delete_or_add(client, cast, project, frozen):
    client.force_login(cast.manager)
    page = client.get(f"/oobc-management/work-items/{project.pk}/").content.decode()
    assert f"/oobc-management/work-items/{project.pk}/edit/" not in page
    assert f"/oobc-management/work-items/{project.pk}/move/" not in page
    assert f"/oobc-management/work-items/{project.pk}/delete/" not in page
    assert f"?parent={project.pk}&" not in page


def test_tree_rows_have_no_inline_controls(client, cast, project, frozen):
    client.force_login(cast.manager)
    page = client.get("/oobc-management/work-items/").content.decode()
    assert "Education support" in page
    assert f'id="status-{project.pk}"' not in page
    assert 'draggable="true"' not in page


def test_edit_and_create_pages_say_why_instead_of_showing_a_form(client, cast, project, frozen):
    client.force_login(cast.manager)
    for url in (
        f"/oobc-management/work-items/{project.pk}/edit/",
        "/oobc-management/work-items/new/",
        f"/oobc-management/work-items/new/?parent={project.pk}",
    ):
        answer = client.get(url)
        assert answer.status_code == 403, url
        body = answer.content.decode()
        assert NOTICE in body and '<form method="post" class="card' not in body, url


def test_the_admin_shows_work_items_read_only(client, cast, project, frozen):
    client.force_login(cast.administrator)
    changelist = client.get("/admin/common/workitem/").content.decode()
    assert NOTICE in changelist
    assert "/admin/common/workitem/add/" not in changelist
    assert client.get("/admin/common/workitem/add/").status_code == 403
    change = client.get(f"/admin/common/workitem/{project.pk}/change/").content.decode()
    assert 'name="_save"' not in change
    assert NOTICE in change


def test_after_the_cut_over_the_same_pages_are_writable(client, cast, project):
    client.force_login(cast.manager)
    page = client.get(f"/oobc-management/work-items/{project.pk}/").content.decode()
    assert NOTICE not in page
    assert f"/oobc-management/work-items/{project.pk}/edit/" in page
    assert client.get(f"/oobc-management/work-items/{project.pk}/edit/").status_code == 200
