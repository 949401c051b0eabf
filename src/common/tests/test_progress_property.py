"""Property: after any sequence of edits, moves and deletes, every roll-up is exactly right."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from common.models import ProgressMode, Status, WorkItem
from common.progress import expected_progress
from common.services import create_work_item, delete_work_item, move_work_item, update_work_item
from common.services.rules import allowed_child_types
from testing.cast import build_cast

operation = st.one_of(
    st.tuples(st.just("create"), st.integers(-1, 50), st.integers(0, 4)),
    st.tuples(st.just("progress"), st.integers(0, 50), st.integers(0, 100)),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(Status.values)),
    st.tuples(st.just("weight"), st.integers(0, 50), st.integers(1, 5)),
    st.tuples(st.just("mode"), st.integers(0, 50), st.sampled_from(ProgressMode.values)),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(-1, 50)),
    st.tuples(st.just("delete"), st.integers(0, 50), st.booleans()),
)


class RollUpProperty(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = build_cast()

    def apply(self, op) -> None:
        from django.core.exceptions import ValidationError

        items = list(WorkItem.objects.order_by("pk"))
        kind, pick, arg = op
        target = items[pick % len(items)] if items and pick >= 0 else None
        try:
            if kind == "create":
                parent = None if pick < 0 else target
                choices = allowed_child_types(parent.work_type) if parent else ["project", "task"]
                create_work_item(
                    None,
                    work_type=choices[arg % len(choices)],
                    title="x",
                    parent=parent,
                    organization=self.cast.office,
                )
            elif target is None:
                return
            elif kind == "progress":
                update_work_item(None, target, progress=arg)
            elif kind == "status":
                update_work_item(None, target, status=arg)
            elif kind == "weight":
                update_work_item(None, target, weight=arg)
            elif kind == "mode":
                update_work_item(None, target, progress_mode=arg)
            elif kind == "move":
                new_parent = None if arg < 0 else items[arg % len(items)]
                move_work_item(None, target, parent=new_parent)
            elif kind == "delete":
                delete_work_item(None, target, cascade=arg)
        except ValidationError:
            pass  # a refused operation must leave the tree consistent too

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        st.lists(st.tuples(st.integers(0, 50), st.integers(0, 4)), min_size=5, max_size=30),
        st.lists(operation, min_size=1, max_size=30),
    )
    def test_every_auto_item_equals_the_recomputed_roll_up(self, shape, operations):
        create_work_item(None, work_type="project", title="seed", organization=self.cast.office)
        for pick, type_pick in shape:  # grow a random tree first, then change it at random
            self.apply(("create", pick, type_pick))
        for op in operations:
            self.apply(op)
        items = {w.pk: w for w in WorkItem.objects.all()}
        children: dict[int, list[WorkItem]] = {pk: [] for pk in items}
        for w in items.values():
            if w.parent_id:
                children[w.parent_id].append(w)
        for w in items.values():
            expected = expected_progress(w, children[w.pk])
            if expected is not None:
                assert w.progress == expected, (w.pk, w.progress, expected)
            assert w.root_id == (items[w.parent_id].root_id if w.parent_id else w.pk)
            if w.status == Status.COMPLETED:
                assert w.completed_at is not None
            else:
                assert w.completed_at is None
