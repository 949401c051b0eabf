"""Saved views: who may see which, where each one opens, and the writes on them.

Visibility is decided here, on the server, for pages and API alike: a person sees their own
views, their organisation's shared views, and views shared with a team they belong to — never
another organisation's. Anything else answers 404, as if it did not exist.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accounts.models import TeamMembership
from common import permissions

from .models import DefaultView, SavedView

#: Where each view type opens (timeline by path: it is built beside this module).
TARGETS = {
    "tree": "/oobc-management/work-items/",
    "board": "/oobc-management/board/",
    "timeline": "/oobc-management/timeline/",
    "calendar": "/oobc-management/calendar/",
    "list": "/",
}
#: Query keys never worth saving (paging, one-off state, the CSRF token of a form).
IGNORED_KEYS = frozenset({"page", "offset", "csrfmiddlewaretoken", "type", "next"})
MAX_PARAMS = 60
MAX_VALUE_LENGTH = 500


def visible_views(user) -> QuerySet[SavedView]:
    """The views `user` may open: own, organisation-wide, or shared with one of their teams."""
    if not permissions.has_role(user) or user.organization_id is None:
        return SavedView.objects.none()
    in_team = TeamMembership.objects.filter(team_id=OuterRef("team_id"), user=user)
    return SavedView.objects.filter(organization_id=user.organization_id).filter(
        Q(owner=user)
        | Q(visibility=SavedView.Visibility.ORGANIZATION)
        | (Q(visibility=SavedView.Visibility.TEAM) & Exists(in_team))
    )


def views_with_defaults(user) -> QuerySet[SavedView]:
    """Visible views with the owner's name and whether each is the person's default (1 query)."""
    is_default = DefaultView.objects.filter(view_id=OuterRef("pk"), user=user)
    return (
        visible_views(user)
        .select_related("owner", "team")
        .annotate(is_default=Exists(is_default))
        .order_by("-pinned", "view_type", "name", "id")
    )


def clean_params(raw) -> list[list[str]]:
    """A query string as `[[name, value], …]` in its order, bounded, without paging or tokens.

    Accepts a QueryDict (a page's GET), a list of pairs (the API) or a `{name: [values]}` dict.
    """
    if hasattr(raw, "lists"):
        pairs = [(k, v) for k, values in raw.lists() for v in values]
    elif isinstance(raw, dict):
        pairs = [
            (k, v)
            for k, values in raw.items()
            for v in (values if isinstance(values, list) else [values])
        ]
    else:
        pairs = [tuple(pair) for pair in raw]
    params: list[list[str]] = []
    for key, value in pairs:
        key, value = str(key), str(value)
        if key in IGNORED_KEYS or value == "":
            continue
        if len(key) > 50:
            raise ValidationError({"params": "A parameter name is too long."})
        if len(value) > MAX_VALUE_LENGTH:
            raise ValidationError({"params": f"“{key}” has a value that is too long."})
        params.append([key, value])
    if len(params) > MAX_PARAMS:
        raise ValidationError({"params": "Too many parameters for one view."})
    return params


def query_string(view: SavedView) -> str:
    return urlencode([(k, v) for k, v in view.params])


def target_url(view: SavedView) -> str:
    query = query_string(view)
    return TARGETS[view.view_type] + (f"?{query}" if query else "")


def can_change(user, view: SavedView) -> bool:
    """The owner edits and deletes a view; managers of its organisation too (shared views)."""
    return view.owner_id == user.pk or (
        view.visibility != SavedView.Visibility.PRIVATE
        and permissions.manages(user, view.organization_id)
    )


def can_pin(user, view: SavedView) -> bool:
    return view.visibility == SavedView.Visibility.ORGANIZATION and permissions.manages(
        user, view.organization_id
    )


def _check_team(user, view: SavedView) -> None:
    if view.visibility == SavedView.Visibility.TEAM:
        if view.team_id is None:
            raise ValidationError({"team": "Choose the team to share this view with."})
        if not TeamMembership.objects.filter(team_id=view.team_id, user=user).exists() and not (
            permissions.manages(user, view.organization_id)
        ):
            raise ValidationError({"team": "Share only with a team you belong to."})
    else:
        view.team = None


def save_view(user, view: SavedView) -> SavedView:
    """Create or update `view` for `user` after the visibility rules (400 on a bad value)."""
    if not permissions.has_role(user) or user.organization_id is None:
        raise PermissionDenied("You need a role in an organisation to save views.")
    if view.pk is None:
        view.owner = user
        view.organization_id = user.organization_id
    elif not can_change(user, view):
        raise PermissionDenied("Only the person who saved this view (or a manager) may change it.")
    if view.team_id is not None and view.team.organization_id != view.organization_id:
        raise ValidationError({"team": "Choose a team of your organisation."})
    _check_team(user, view)
    if view.pinned and not can_pin(user, view):
        raise ValidationError({"pinned": "Only managers pin views shared with everyone."})
    view.params = clean_params(view.params or [])
    view.full_clean(exclude=["owner", "organization", "team"])
    view.save()
    return view


def delete_view(user, view: SavedView) -> None:
    if not can_change(user, view):
        raise PermissionDenied("Only the person who saved this view (or a manager) may delete it.")
    view.delete()


def set_pinned(user, view: SavedView, pinned: bool) -> SavedView:
    if not can_pin(user, view):
        raise PermissionDenied("Only managers pin views, and only views shared with everyone.")
    view.pinned = pinned
    view.save(update_fields=["pinned", "updated_at"])
    return view


@transaction.atomic
def set_default(user, view: SavedView, on: bool) -> None:
    """Make `view` the page a person gets for its type without a query string (or stop)."""
    DefaultView.objects.filter(user=user, view_type=view.view_type).delete()
    if on:
        DefaultView.objects.create(user=user, view_type=view.view_type, view=view)


def default_for(user, view_type: str) -> SavedView | None:
    """The person's default view of `view_type` if they may still see it (one query)."""
    return (
        visible_views(user)
        .filter(defaults__user=user, defaults__view_type=view_type)
        .only("id", "view_type", "params")
        .first()
    )


def new_view_url(view_type: str, query: str = "") -> str:
    base = reverse("planning:view_new")
    return f"{base}?type={view_type}" + (f"&{query}" if query else "")
