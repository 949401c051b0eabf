"""Links between work items ("related to", "depends on")."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from common import permissions
from common.models import WorkItem, WorkItemRelation

from .items import ensure_writes_allowed
from .scheduling import link_dependency


@transaction.atomic
def link_items(
    actor: User | None,
    source: WorkItem,
    target: WorkItem,
    kind: str = WorkItemRelation.Kind.RELATES,
) -> WorkItemRelation:
    """Link two items of the same organisation; linking an item to itself is refused.

    "Depends on" links schedule (finish-to-start, loops refused): they go through
    `link_dependency`, so every way of adding one checks and pushes the same.
    """
    ensure_writes_allowed(actor)
    if kind not in WorkItemRelation.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of link."})
    if kind == WorkItemRelation.Kind.DEPENDS_ON:
        return link_dependency(actor, source, target)[0]
    if source.pk == target.pk:
        raise ValidationError({"target": "An item cannot be linked to itself."})
    if source.organization_id != target.organization_id:
        raise ValidationError({"target": "Linked items must belong to the same organisation."})
    if actor is not None and not (
        permissions.can_edit(actor, source) and permissions.can_view(actor, target)
    ):
        raise PermissionDenied("You may not link these items.")
    try:
        with transaction.atomic():
            return WorkItemRelation.objects.create(source=source, target=target, kind=kind)
    except IntegrityError:
        return WorkItemRelation.objects.get(source=source, target=target, kind=kind)


@transaction.atomic
def unlink_items(actor: User | None, source: WorkItem, target: WorkItem, kind: str) -> int:
    ensure_writes_allowed(actor)
    if actor is not None and not permissions.can_edit(actor, source):
        raise PermissionDenied("You may not change this item's links.")
    deleted, _ = WorkItemRelation.objects.filter(source=source, target=target, kind=kind).delete()
    return deleted


def bulk_link(pairs: list[tuple[int, int]], kind: str) -> int:
    """Create many links at once (imports); pairs already linked are left alone.

    The same rules as `link_items`: no self-links and both ends in one organisation; a pair that
    breaks them raises ValidationError naming it. Returns how many links were added.
    """
    if kind not in WorkItemRelation.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of link."})
    pairs = list(dict.fromkeys(pairs))
    ids = {pk for pair in pairs for pk in pair}
    organisation = dict(WorkItem.objects.filter(pk__in=ids).values_list("pk", "organization_id"))
    for source, target in pairs:
        if source == target:
            raise ValidationError({"target": f"Item {source} cannot be linked to itself."})
        if organisation.get(source) is None or organisation.get(source) != organisation.get(target):
            raise ValidationError(
                {"target": f"Items {source} and {target} are not in one organisation."}
            )
    existing = set(
        WorkItemRelation.objects.filter(source_id__in=ids, kind=kind).values_list(
            "source_id", "target_id"
        )
    )
    new = [
        WorkItemRelation(source_id=s, target_id=t, kind=kind)
        for s, t in pairs
        if (s, t) not in existing
    ]
    WorkItemRelation.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    return len(new)
