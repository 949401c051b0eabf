"""Every model admin keeps every role inside its organisation — generated from the admin registry.

For each registered model admin × each role (administrator, manager, staff, viewer, no role; all
given admin access, the worst case) × own/other organisation × list, change, add (with every
relation pre-filled from the query string), delete, history and autocomplete: the other
organisation's canaries never appear unless the person sees every organisation, the own records
appear exactly when the role may view them, nothing answers 5xx, and a delete aimed at the other
organisation deletes nothing. A model admin registered tomorrow is in this table tomorrow; it
fails until `testing/two_orgs.py` gives it a record on each side.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from common.permissions import VIEW_ALL
from testing.two_orgs import CANARY, GLOBAL_MODELS, OWN_MARKS, World, build_world

LABELS = sorted(model._meta.label_lower for model in admin.site._registry)
ROLES = ["administrator", "manager", "staff", "viewer", "no_role"]


def _person(world: World, role: str):
    user = world.no_role if role == "no_role" else getattr(world.cast, role)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _autocomplete_sources(model) -> list[tuple[str, str, str]]:
    """(app_label, model_name, field) of every autocomplete field that picks `model`."""
    sources = []
    for source_model, model_admin in admin.site._registry.items():
        for owner, fields in [(source_model, model_admin.autocomplete_fields)] + [
            (inline.model, inline.autocomplete_fields) for inline in model_admin.inlines
        ]:
            for name in fields:
                if owner._meta.get_field(name).related_model is model:
                    sources.append((owner._meta.app_label, owner._meta.model_name, name))
    return sources


def _prefill(model, records: dict) -> str:
    """`?field=<id>` for every relation of the add form, pointing at the same side's records."""
    query = {}
    for field in model._meta.get_fields():
        if field.concrete and field.is_relation and not field.auto_created:
            target = records.get(field.related_model._meta.label_lower)
            if target is not None:
                query[field.name] = str(target.pk)
    return urlencode(query)


def _body(response) -> str:
    return response.content.decode(errors="replace")


def _check(
    problems: list[str],
    who: str,
    marker: str,
    must_hide_other: bool,
    action: str,
    response,
    *,
    shown: bool | None = None,
) -> None:
    """No 5xx; the record's mark shown exactly when expected; never the other side's canary."""
    where = f"{who} {action}"
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    text = _body(response) + response.headers.get("Location", "")
    if shown is not None and (marker in text) != shown:
        problems.append(f"{where}: {'missing' if shown else 'shows'} {marker}")
    if must_hide_other and CANARY in text:
        problems.append(f"{where}: leaks the other organisation")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", LABELS)
def test_every_admin_shows_each_role_only_its_own_organisation(client, cast, label, role):
    world = build_world(cast)
    assert label in world.other, f"give {label} a record per side in testing/two_orgs.py"
    model = type(world.other[label])
    meta = model._meta
    user = _person(world, role)
    client.force_login(user)
    may_view = user.has_perm(f"{meta.app_label}.view_{meta.model_name}") or user.has_perm(
        f"{meta.app_label}.change_{meta.model_name}"
    )
    sees_all = user.has_perm(VIEW_ALL)
    url = f"admin:{meta.app_label}_{meta.model_name}"
    problems: list[str] = []

    for scope in ("own", "other"):
        record = getattr(world, scope)[label]
        shared = label in GLOBAL_MODELS
        marker = CANARY if scope == "other" or shared else OWN_MARKS[label]
        visible = may_view and (sees_all if scope == "other" or shared else True)

        check = partial(
            _check, problems, f"{role} {scope}", marker, scope == "other" and not sees_all
        )

        listing = client.get(reverse(f"{url}_changelist"))
        check("list", listing, shown=visible if listing.status_code == 200 else False)
        if listing.status_code != (200 if may_view else 403):
            problems.append(f"{role} {scope} list: status {listing.status_code}")

        for action in ("change", "history", "delete"):
            response = client.get(reverse(f"{url}_{action}", args=[record.pk]))
            # The history page names a record only by its str(), which need not hold the mark.
            shows = visible and response.status_code == 200 if action != "history" else None
            check(action, response, shown=shows if visible or action != "history" else False)
            if visible and action != "delete" and response.status_code != 200:
                problems.append(f"{role} {scope} {action}: status {response.status_code}")
            if not visible and response.status_code == 200:
                problems.append(f"{role} {scope} {action}: opened a record it may not see")

        try:
            add_url = reverse(f"{url}_add")
        except NoReverseMatch:  # an admin without an add view
            add_url = None
        if add_url:
            check("add", client.get(f"{add_url}?{_prefill(model, getattr(world, scope))}"))

        for app_label, model_name, field in _autocomplete_sources(model):
            params = {"app_label": app_label, "model_name": model_name, "field_name": field}
            # One letter short: pages echo their own address (the feedback link), not the term.
            response = client.get("/admin/autocomplete/", {**params, "term": marker[:-1]})
            check(f"autocomplete {model_name}.{field}", response)
            if response.status_code == 200:
                found = marker in _body(response)
                if found != visible:
                    problems.append(f"{role} {scope} autocomplete {field}: found={found}")

        if scope == "other" and not sees_all:
            client.post(reverse(f"{url}_delete", args=[record.pk]), {"post": "yes"})
            if not model._default_manager.filter(pk=record.pk).exists():
                problems.append(f"{role} deleted the other organisation's {label}")

    assert not problems, "\n".join(problems)


def test_the_table_covers_every_registered_admin():
    assert {"common.workitem", "accounts.user", "accounts.team"} <= set(LABELS)
    assert len(LABELS) == len(admin.site._registry)
