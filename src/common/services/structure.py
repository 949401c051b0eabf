"""Moving and deleting work items: the writes that change the shape of a tree."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts import work_marks
from accounts.models import User
from common import permissions
from common.models import WorkItem
from common.progress import propagate_from
from common.tree import path_to_root, subtree_ids, subtree_ids_expression, subtree_size_and_height

from . import history
from .errors import VersionConflict
from .items import ensure_writes_allowed
from .locking import lock_items
from .positions import next_position, place_at
from .rules import check_depth, check_placement
from .scheduling import settle_parents


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


def _check_may_move(actor: User | None, item: WorkItem, new_parent: WorkItem | None) -> None:
    if actor is None:
        return
    if not permissions.can_edit(actor, item):
        raise PermissionDenied("You may not move this item.")
    if new_parent is not None:
        if not permissions.can_add_child(actor, new_parent):
            raise PermissionDenied("You may not add items under the chosen parent.")
    elif not permissions.can_create_root(actor, item.organization):
        raise PermissionDenied("You may not make this a top-level item.")


def _validate_move(item: WorkItem, new_parent: WorkItem | None) -> None:
    """Type matrix, cycles and depth for moving `item` (with its subtree) under `new_parent`."""
    if new_parent is None:
        check_placement(None, item.work_type, field="parent")
        _, height = subtree_size_and_height(item.pk)
        check_depth(0, height)
        return
    path = path_to_root(new_parent.pk)
    if any(row.id == item.pk for row in path):
        raise ValidationError(
            {"parent": "An item cannot be moved under itself or its own descendants."}
        )
    check_placement(new_parent.work_type, item.work_type, field="parent")
    _, height = subtree_size_and_height(item.pk)
    check_depth(len(path), height)


def _relocate_subtree(item: WorkItem, root_id: int, organization_id: int) -> None:
    """Point a whole subtree at a new root/organisation with one UPDATE."""
    WorkItem.objects.filter(pk__in=subtree_ids_expression(item.pk)).update(
        root_id=root_id, organization_id=organization_id, updated_at=timezone.now()
    )


@transaction.atomic
def move_work_item(
    actor: User | None,
    item: WorkItem | int,
    *,
    parent: WorkItem | int | None,
    index: int | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> WorkItem:
    """Reparent and/or reorder `item`. `index` is its place among the new siblings (default last).

    Moving to another organisation's tree is refused unless the actor may act in both; the whole
    subtree follows the item to its new root and organisation.
    """
    ensure_writes_allowed(actor)
    item_id = getattr(item, "pk", item)
    parent_id = getattr(parent, "pk", parent)
    locked = lock_items([item_id, parent_id])
    current = locked[item_id]
    new_parent = locked.get(parent_id) if parent_id is not None else None
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, expected_version)
    _check_may_move(actor, current, new_parent)

    old_parent_id = current.parent_id
    if parent_id != old_parent_id:
        _validate_move(current, new_parent)
    new_org = new_parent.organization_id if new_parent else current.organization_id
    new_root = new_parent.root_id if new_parent else current.pk

    current.parent_id = parent_id
    if index is None:
        if parent_id != old_parent_id:
            current.position = next_position(parent_id, new_org if parent_id is None else None)
    else:
        current.position = place_at(current, parent_id, index, new_org)
    if new_root != current.root_id or new_org != current.organization_id:
        _relocate_subtree(current, new_root, new_org)
        if new_org != current.organization_id:
            # The items left it: no row of the old organisation's changed (accounts.work_marks).
            work_marks.mark([current.organization_id])
        current.root_id, current.organization_id = new_root, new_org
    current.version += 1
    current.save()
    history.record([current], history.CHANGED, actor, reason or "moved")
    if parent_id != old_parent_id:
        propagate_from(old_parent_id)
        propagate_from(parent_id)
        if current.start_date or current.due_date:
            settle_parents(actor, [old_parent_id, parent_id])
    return current


def _check_may_delete_subtree(actor: User, item: WorkItem) -> None:
    """Managers delete whole subtrees; others only subtrees made entirely of their own items."""
    if not permissions.can_delete(actor, item):
        raise PermissionDenied("You may not delete this item.")
    if permissions.manages(actor, item.organization_id):
        return
    others = (
        WorkItem.objects.filter(pk__in=subtree_ids_expression(item.pk))
        .exclude(created_by=actor)
        .exists()
    )
    if others:
        raise PermissionDenied("Some items below this one were created by others.")


def _hard_delete(ids: list[int]) -> None:
    """Remove items and what refers to them with a fixed number of statements.

    The parent/root foreign keys are deferred constraints, so deleting a whole subtree in one
    statement is valid at commit; Django's collector would instead walk it row by row. Every
    other model that points at work items is treated by its own `on_delete` rule, so a new
    relation (notifications, outbox entries …) is handled without touching this function.
    """
    relations = [
        f
        for f in WorkItem._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]
    for relation in relations:
        field = relation.field
        if relation.related_model is WorkItem:
            continue  # parent and root: the subtree goes in the statement below
        rows = relation.related_model._base_manager.filter(**{f"{field.name}__in": ids})
        rule = field.remote_field.on_delete
        if rule is models.CASCADE:
            rows.delete()
        elif rule is models.SET_NULL:
            rows.update(**{field.name: None})
        elif rule in (models.PROTECT, models.RESTRICT) and rows.exists():
            raise ValidationError(
                {"children": f"Still referenced by {relation.related_model._meta.verbose_name}."}
            )
    WorkItem.objects.filter(pk__in=ids)._raw_delete(WorkItem.objects.db)


@transaction.atomic
def delete_work_item(
    actor: User | None,
    item: WorkItem | int,
    *,
    cascade: bool = False,
    reparent_to: WorkItem | int | _Unset | None = UNSET,
    expected_version: int | None = None,
    reason: str = "",
) -> int:
    """Delete an item. Returns how many items were removed.

    An item with children is refused unless `cascade=True` (its whole subtree goes) or
    `reparent_to` names where the children go (an item, or None for the top level); the
    children are validated like any other move before anything is deleted.
    """
    ensure_writes_allowed(actor)
    item_id = getattr(item, "pk", item)
    target_id = None if isinstance(reparent_to, _Unset) else getattr(reparent_to, "pk", reparent_to)
    if cascade and not isinstance(reparent_to, _Unset):
        raise ValidationError({"cascade": "Choose either to delete the children or to move them."})
    locked = lock_items([item_id, target_id])
    current = locked[item_id]
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, expected_version)
    if actor is not None:
        if cascade:
            _check_may_delete_subtree(actor, current)
        elif not permissions.can_delete(actor, current):
            raise PermissionDenied("You may not delete this item.")

    children = list(WorkItem.objects.filter(parent_id=item_id).order_by("position", "id"))
    if children and not cascade and isinstance(reparent_to, _Unset):
        raise ValidationError(
            {
                "children": f"“{current.title}” has {len(children)} direct "
                f"{'child' if len(children) == 1 else 'children'}; delete them with it or "
                "move them to another item first."
            }
        )

    if children and not cascade:
        target = locked.get(target_id) if target_id is not None else None
        if target is not None and target.pk == item_id:
            raise ValidationError(
                {"reparent_to": "Children cannot move to the item being deleted."}
            )
        if target is not None and any(row.id == item_id for row in path_to_root(target.pk)):
            raise ValidationError(
                {"reparent_to": "Children cannot move below the item being deleted."}
            )
        for child in children:
            try:
                _validate_move_after_delete(child, target)
            except ValidationError as exc:
                raise ValidationError(
                    {"reparent_to": f"“{child.title}”: {' '.join(exc.messages)}"}
                ) from None
        if actor is not None:
            for child in children:
                _check_may_move(actor, child, target)
        for child in children:
            move_work_item(None, child, parent=target, reason=reason or "parent deleted")
        doomed = [current]
    else:
        ids = subtree_ids(item_id) if children else [item_id]
        doomed = list(WorkItem.objects.filter(pk__in=ids)) if children else [current]

    history.record(doomed, history.DELETED, actor, reason)
    _hard_delete([d.pk for d in doomed])
    # Feeds' validators must change although no remaining row did (accounts.work_marks).
    work_marks.mark([current.organization_id])
    propagate_from(current.parent_id)
    if current.start_date or current.due_date:
        settle_parents(actor, [current.parent_id])
    return len(doomed)


def _validate_move_after_delete(child: WorkItem, target: WorkItem | None) -> None:
    """Validation for a child of a deleted item; the deleted level itself no longer counts."""
    if target is None:
        check_placement(None, child.work_type, field="parent")
        return
    check_placement(target.work_type, child.work_type, field="parent")
    _, height = subtree_size_and_height(child.pk)
    check_depth(len(path_to_root(target.pk)), height)
