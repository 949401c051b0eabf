"""Detail, create, edit and delete pages of one work item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common import permissions, services
from common.details import DETAIL_SCHEMAS
from common.forms import DeleteForm, WorkItemForm
from common.models import WorkItem
from common.queries.detail import load_detail
from common.services.rules import (
    allowed_child_types,
    allowed_root_types,
    check_placement,
    child_type_table,
)
from common.tree import subtree_size_and_height
from obcms.ids import is_id

from . import conflicts
from .helpers import require, visible_item
from .parent_dates import outside_parent


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    return render(
        request,
        "common/detail.html",
        {
            "nav": "tree",
            "d": load_detail(request.user, item),
            "child_types": child_type_table(),
            "outside_parent": outside_parent(request.user, item),
        },
    )


def _parent_from(request: HttpRequest) -> WorkItem | None:
    raw = request.GET.get("parent") or request.POST.get("parent")
    if not raw:
        return None
    if not is_id(raw):
        raise Http404("That parent does not exist.")
    return visible_item(request, int(raw))


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    parent = _parent_from(request)
    if parent is not None:
        require(
            permissions.can_add_child(request.user, parent), "You may not add items under this one."
        )
        type_choices = allowed_child_types(parent.work_type)
        organization = parent.organization
    else:
        organization = request.user.organization
        require(
            permissions.can_create_root(request.user, organization),
            "You may not create top-level items.",
        )
        type_choices = allowed_root_types()
    chosen = request.POST.get("work_type") or request.GET.get("type") or type_choices[0]
    chosen = chosen if chosen in type_choices else type_choices[0]
    form = WorkItemForm(
        request.POST if request.method == "POST" else None,
        organization_id=organization.pk,
        type_choices=type_choices,
        detail_type=chosen,
        initial={"work_type": chosen, **_prefill(request)},
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            item = services.create_work_item(
                request.user,
                parent=parent,
                organization=None if parent else organization,
                # A new top-level item goes first, so it is on the tree's first page, not the last.
                index=0 if parent is None else None,
                **arguments,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{item.title}” was created.")
            return redirect("common:detail", pk=item.pk)
    return render(
        request,
        "common/form.html",
        {
            "nav": "tree",
            "form": form,
            "parent": parent,
            "item": None,
            "type_switch_url": reverse("common:create"),
        },
        status=400 if form.errors else 200,
    )


def _prefill(request: HttpRequest) -> dict:
    """Dates handed over by the calendar's 'select a day range' (validated by the form later)."""
    return {k: request.GET[k] for k in ("start_date", "due_date", "title") if request.GET.get(k)}


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not edit this item.")
    child_types = list(item.children.values_list("work_type", flat=True))
    type_choices = _editable_types(item, child_types)
    form = WorkItemForm(
        request.POST if request.method == "POST" else None,
        organization_id=item.organization_id,
        type_choices=type_choices,
        detail_type=item.work_type,
        rolled_up_from=len(child_types),
        initial=WorkItemForm.initial_from(item),
    )
    form.fields[
        "work_type"
    ].help_text = "Changing to a type of another kind clears the details that kind does not have."
    form.fields["assignees"].initial = list(item.assignees.values_list("pk", flat=True))
    form.fields["teams"].initial = list(item.teams.values_list("pk", flat=True))
    for name, field in form.fields.items():
        # Each field also sends the value the editor saw, so a conflict can merge by field.
        field.show_hidden_initial = name != "expected_version"
    conflict = None
    rows: list[tuple[str, str, str]] = []
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        new_schema = DETAIL_SCHEMAS[arguments["work_type"]]
        arguments["details"] = {k: v for k, v in arguments["details"].items() if k in new_schema}
        try:
            saved = services.update_work_item(
                request.user,
                item,
                expected_version=form.cleaned_data["expected_version"],
                reason="edited",
                **arguments,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except services.VersionConflict as error:
            merged, rows = _merge_or_explain(request, form, error)
            if merged is not None:
                return merged
            conflict = error
        else:
            messages.success(request, f"“{saved.title}” was saved.")
            return redirect("common:detail", pk=item.pk)
    status = 409 if conflict else 400 if form.errors else 200
    return render(
        request,
        "common/form.html",
        {
            "nav": "tree",
            "form": form,
            "parent": item.parent,
            "item": item,
            "conflict": conflict,
            "conflict_values": rows,
        },
        status=status,
    )


def _editable_types(item: WorkItem, child_types: list[str]) -> list[str]:
    """Types this item may switch to: allowed where it stands and able to hold its children."""
    parent_type = item.parent.work_type if item.parent_id else None
    candidates = allowed_child_types(parent_type) if parent_type else allowed_root_types()
    result = [t for t in candidates if set(child_types) <= set(allowed_child_types(t))]
    return result if item.work_type in result else [item.work_type, *result]


def _merge_or_explain(
    request: HttpRequest, form: WorkItemForm, error: services.VersionConflict
) -> tuple[HttpResponse | None, list[tuple[str, str, str]]]:
    """Someone saved first: save the merged edit when no field clashes, else prepare the form.

    Returns the redirect after a merged save; or no response and the clashing fields (label,
    theirs, mine) when the person must decide — the form then holds their values for the fields
    only they changed, and the new version, so saving again cannot revert their work.
    """
    current = error.current
    merge = conflicts.plan(form, current)
    if merge.clean:
        try:
            saved = services.update_work_item(
                request.user,
                current.pk,
                expected_version=current.version,
                reason="edited (merged with a newer change)",
                **conflicts.merged_changes(form, merge, current),
            )
        except (ValidationError, services.VersionConflict):
            pass  # rare: changed again, or the merge breaks a rule; show the comparison
        else:
            kept = conflicts.kept_labels(form, merge)
            who = error.changed_by.display_name if error.changed_by else "someone else"
            also = f" {who}'s newer {', '.join(kept).lower()} kept." if kept else ""
            messages.success(request, f"“{saved.title}” was saved.{also}")
            return redirect("common:detail", pk=saved.pk), []
    rows = conflicts.conflict_rows(form, merge)
    conflicts.rebase(form, merge, current)
    form.rebuild_repeat()
    return None, rows


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    require(permissions.can_delete(request.user, item), "You may not delete this item.")
    count, _ = subtree_size_and_height(item.pk)
    child_types = list(item.children.values_list("work_type", flat=True))
    parent_type = item.parent.work_type if item.parent_id else None
    can_reparent = bool(child_types) and _children_fit(child_types, parent_type)
    form = DeleteForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_version": item.version},
    )
    error = None
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["children"]
        kwargs = {}
        if child_types and choice == "cascade":
            kwargs["cascade"] = True
        elif child_types and choice == "reparent":
            kwargs["reparent_to"] = item.parent
        try:
            removed = services.delete_work_item(
                request.user,
                item,
                expected_version=form.cleaned_data["expected_version"],
                reason="deleted",
                **kwargs,
            )
        except (ValidationError, services.VersionConflict) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            noun = "item" if removed == 1 else "items"
            messages.success(request, f"“{item.title}” was deleted ({removed} {noun}).")
            return (
                redirect("common:detail", pk=item.parent_id)
                if item.parent_id
                else redirect("common:tree")
            )
    return render(
        request,
        "common/delete.html",
        {
            "nav": "tree",
            "item": item,
            "form": form,
            "descendants": count - 1,
            "has_children": bool(child_types),
            "can_reparent": can_reparent,
            "error": error,
        },
        status=400 if error else 200,
    )


def _children_fit(child_types: list[str], parent_type: str | None) -> bool:
    try:
        for child_type in set(child_types):
            check_placement(parent_type, child_type)
    except ValidationError:
        return False
    return True
