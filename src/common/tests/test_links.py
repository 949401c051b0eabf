"""Items can be linked as related or as dependencies, within one organisation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from common.models import WorkItemRelation
from common.services import link_items, unlink_items
from testing.builders import item


def test_items_can_depend_on_each_other_and_links_are_not_duplicated(cast):
    design = item("task", "Design", organization=cast.office)
    build = item("task", "Build", organization=cast.office)
    link_items(None, build, design, kind="depends_on")
    link_items(None, build, design, kind="depends_on")
    assert list(build.related_items.all()) == [design]
    assert WorkItemRelation.objects.count() == 1
    assert unlink_items(None, build, design, "depends_on") == 1


def test_an_item_cannot_be_linked_to_itself_or_across_organisations(cast):
    task = item("task", organization=cast.office)
    foreign = item("task", organization=cast.partner)
    with pytest.raises(ValidationError):
        link_items(None, task, task)
    with pytest.raises(ValidationError):
        link_items(None, task, foreign)
    with pytest.raises(ValidationError):
        link_items(None, task, item("task", organization=cast.office), kind="blocks_maybe")


def test_linking_needs_the_right_to_edit_the_source(cast):
    source = item("task", organization=cast.office)
    target = item("task", organization=cast.office)
    with pytest.raises(PermissionDenied):
        link_items(cast.viewer, source, target)
    link_items(cast.manager, source, target)
