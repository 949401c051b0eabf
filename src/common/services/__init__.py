"""The only write path for work items.

Views, API, admin, calendar drag, management commands and background tasks all call these
functions, so type rules, cycle checks, depth, dates, organisation consistency, optimistic
locking, permissions, roll-up and history can never be skipped.
"""

from .bulk import BulkResult, bulk_set_status, bulk_update
from .bulk_load import NewItem, bulk_create_items, roll_up_trees
from .errors import VersionConflict, WritesDisabled
from .imports import refresh_legacy_data
from .items import EDITABLE_FIELDS, create_work_item, ensure_writes_allowed, update_work_item
from .relations import bulk_link, link_items, unlink_items
from .rules import allowed_child_types, allowed_root_types
from .scheduling import (
    Move,
    link_dependency,
    preview_push,
    push_followers,
    set_scheduling_mode,
    unlink_dependency,
)
from .structure import UNSET, delete_work_item, move_work_item

__all__ = [
    "EDITABLE_FIELDS",
    "UNSET",
    "BulkResult",
    "Move",
    "NewItem",
    "VersionConflict",
    "WritesDisabled",
    "allowed_child_types",
    "allowed_root_types",
    "bulk_create_items",
    "bulk_link",
    "bulk_set_status",
    "bulk_update",
    "create_work_item",
    "delete_work_item",
    "ensure_writes_allowed",
    "link_dependency",
    "link_items",
    "move_work_item",
    "preview_push",
    "push_followers",
    "refresh_legacy_data",
    "roll_up_trees",
    "set_scheduling_mode",
    "unlink_dependency",
    "unlink_items",
    "update_work_item",
]
