"""The "Schedule" section of an item's page: its scheduling mode, what it waits for, what
follows it, and (for editors) the forms that change them.

Until this section, links and lags could be changed only through the API or by dragging on the
timeline, so someone looking at an item could not see why it sat where it did. The fragment is
loaded by htmx from the detail page's extension point and re-rendered in place after each
change, saying what the change moved. Every write goes through `common.services`, whose
refusals (a loop, another organisation, a lag out of range) come back as a 400 fragment with the
sentence next to the field, and nothing changed. Reading costs a fixed number of queries
however many links the item has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from common import permissions, services
from common.models import MAX_LAG_DAYS, SchedulingMode, WorkItem, WorkItemRelation, WorkType
from common.tree import ancestor_trails
from common.views.helpers import require, visible_item
from obcms.ids import is_id

from .scheduling import dependencies_of

TEMPLATE = "planning/_schedule_section.html"
CANDIDATES_TEMPLATE = "planning/_schedule_candidates.html"
DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON
#: Titles found by the "Add a predecessor" search; more is a sign to type more of the title.
CANDIDATE_LIMIT = 10
#: Moved items named in the sentence after a change; a long chain is summed up as "and N more".
MOVES_NAMED = 10
MODE_WORDS = {
    SchedulingMode.MANUAL: "Manual: dates stay where you put them",
    SchedulingMode.AUTOMATIC: (
        "Automatic: starts on the first working day after its predecessors finish, plus lag"
    ),
}


@dataclass
class Outcome:
    """What the last POST did, for the re-rendered fragment: a sentence, the moves, or the
    refusal's field messages (with what the person typed, so it is not lost)."""

    done: str = ""
    moves: list[services.Move] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)
    #: (follower id, predecessor id) of the link a lag refusal is about.
    link: tuple[int, int] | None = None


def _number(raw: str) -> int | None:
    """A whole number typed in a field, or None (`int()` refuses over 4,300 digits: check)."""
    text = raw.strip()
    body = text[1:] if text.startswith("-") else text
    if not body or len(body) > 9 or not (body.isascii() and body.isdigit()):
        return None
    return int(text)


def _lag(raw: str | None) -> int | None:
    """The lag field: empty means no lag; anything not a whole number is None."""
    return 0 if raw is None or not raw.strip() else _number(raw)


def _id(raw: str) -> int | None:
    text = raw.strip().lstrip("#")
    return int(text) if len(text) <= 18 and is_id(text) else None


def _editable_followers(user, item: WorkItem) -> set[int]:
    """Which followers' links the user may change (the link belongs to its follower): one
    query for the followers, at most one more for involvement, whatever their number."""
    rights = permissions.edit_rights(user)
    if not (rights.manage_all or rights.manage_org or rights.change):
        return set()
    followers = WorkItem.objects.filter(
        pk__in=WorkItemRelation.objects.filter(kind=DEPENDS_ON, target=item).values("source_id")
    ).only("id", "organization_id", "created_by_id")
    return permissions.editable_ids(user, list(followers))


def _moves_sentence(moves: list[services.Move]) -> dict:
    return {
        "count": len(moves),
        "named": moves[:MOVES_NAMED],
        "more": max(len(moves) - MOVES_NAMED, 0),
    }


def _render(
    request: HttpRequest, item: WorkItem, outcome: Outcome | None = None, status: int = 200
) -> HttpResponse:
    outcome = outcome or Outcome()
    links = dependencies_of(item)
    can_edit = permissions.can_edit(request.user, item)
    editable_followers = _editable_followers(request.user, item)
    for side, rows in (("predecessors", links["predecessors"]), ("followers", links["followers"])):
        for row in rows:
            # A link belongs to its follower: this item's for predecessors, the other's else.
            mine = side == "predecessors"
            follower, predecessor = (item.pk, row["id"]) if mine else (row["id"], item.pk)
            row["type_label"] = WorkType(row["work_type"]).label
            row["follower"], row["predecessor"] = follower, predecessor
            row["editable"] = can_edit if mine else row["id"] in editable_followers
            row["lag_value"] = row["lag_days"]
            if outcome.link == (follower, predecessor):
                row["error"] = " ".join(outcome.errors.get("lag_days", []))
                row["lag_value"] = outcome.typed.get("lag_days", row["lag_days"])
    beside_fields = ("lag_days",) if outcome.link else ("predecessor", "lag_days")
    general = [m for key, ms in outcome.errors.items() if key not in beside_fields for m in ms]
    context = {
        "item": item,
        "automatic": item.scheduling_mode == SchedulingMode.AUTOMATIC,
        "mode_words": MODE_WORDS.get(item.scheduling_mode, item.get_scheduling_mode_display()),
        "predecessors": links["predecessors"],
        "followers": links["followers"],
        "can_edit": can_edit,
        "root_id": item.root_id or item.pk,
        "max_lag": MAX_LAG_DAYS,
        "outcome": outcome,
        "add_errors": {} if outcome.link else outcome.errors,
        "general_errors": general,
        "moved": _moves_sentence(outcome.moves),
    }
    response = render(request, TEMPLATE, context, status=status)
    if outcome.done:
        # The item page's Details and History re-read themselves (see common's detail page).
        response["HX-Trigger"] = "work-item-changed"
    return response


def _refused(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(value) for key, value in error.message_dict.items()}
    return {"__all__": error.messages}


@login_required
@require_GET
def section(request: HttpRequest, pk: int) -> HttpResponse:
    """The section as the item's page loads it.

    Swapped in and wired to htmx in one step (no settle delay): otherwise its forms showed for
    a moment before htmx took them over, and a click then posted the form as a whole page.
    """
    response = _render(request, visible_item(request, pk))
    response["HX-Reswap"] = "innerHTML settle:0ms"
    return response


@login_required
@require_POST
def set_mode(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch manual ↔ automatic; switching to automatic may move the item and its followers."""
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not edit this item.")
    mode = request.POST.get("scheduling_mode", "")
    try:
        moves = services.set_scheduling_mode(request.user, item, mode)
    except ValidationError as error:
        return _render(request, item, Outcome(errors=_refused(error)), status=400)
    item = visible_item(request, pk)
    automatic = mode == SchedulingMode.AUTOMATIC
    done = "Now scheduled automatically." if automatic else "Now scheduled by hand."
    return _render(request, item, Outcome(done=done, moves=moves))


@login_required
@require_POST
def add_predecessor(request: HttpRequest, pk: int) -> HttpResponse:
    """This item waits for another, chosen by number or picked from the title search."""
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not edit this item.")
    raw_other = request.POST.get("pick") or request.POST.get("predecessor") or ""
    raw_lag = request.POST.get("lag_days", "")
    typed = {"predecessor": raw_other, "lag_days": raw_lag}
    errors: dict[str, list[str]] = {}
    lag = _lag(raw_lag)
    if lag is None:
        errors["lag_days"] = ["The lag must be a whole number of working days."]
    other_id = _id(raw_other)
    other = None
    if not raw_other.strip():
        errors["predecessor"] = ["Give the number of the item to wait for, or find it by title."]
    elif other_id is None:
        errors["predecessor"] = ["No such work item."]
    else:
        other = WorkItem.objects.visible_to(request.user).filter(pk=other_id).first()
        if other is None:
            errors["predecessor"] = ["No such work item."]
    if errors or other is None or lag is None:
        return _render(request, item, Outcome(errors=errors, typed=typed), status=400)
    try:
        _relation, moves = services.link_dependency(request.user, item, other, lag)
    except ValidationError as error:
        return _render(request, item, Outcome(errors=_refused(error), typed=typed), status=400)
    item = visible_item(request, pk)
    done = f"“{item.title}” now waits for “{other.title}”"
    done += f" plus {lag} working day{'s' if lag != 1 else ''}." if lag else "."
    return _render(request, item, Outcome(done=done, moves=moves))


def _link(request: HttpRequest, pk: int, follower_id: int, predecessor_id: int):
    """The page's item and both ends of one of its links; 404 unless the item is one end, both
    are visible and the link exists (it may have been removed meanwhile)."""
    if pk not in (follower_id, predecessor_id):
        raise _not_found()
    item = visible_item(request, pk)
    visible = WorkItem.objects.visible_to(request.user)
    follower = item if follower_id == pk else get_object_or_404(visible, pk=follower_id)
    predecessor = item if predecessor_id == pk else get_object_or_404(visible, pk=predecessor_id)
    exists = WorkItemRelation.objects.filter(
        kind=DEPENDS_ON, source=follower, target=predecessor
    ).exists()
    if not exists:
        raise _not_found()
    require(permissions.can_edit(request.user, follower), "You may not change this link.")
    return item, follower, predecessor


def _not_found() -> Http404:
    return Http404("No such link.")


@login_required
@require_POST
def change_lag(request: HttpRequest, pk: int, follower: int, predecessor: int) -> HttpResponse:
    """A new lag for an existing link; a longer one pushes automatic followers."""
    item, follower_item, predecessor_item = _link(request, pk, follower, predecessor)
    raw_lag = request.POST.get("lag_days", "")
    lag = _lag(raw_lag)
    where = (follower, predecessor)
    typed = {"lag_days": raw_lag}
    if lag is None:
        errors = {"lag_days": ["The lag must be a whole number of working days."]}
        return _render(request, item, Outcome(errors=errors, typed=typed, link=where), status=400)
    try:
        _relation, moves = services.link_dependency(
            request.user, follower_item, predecessor_item, lag
        )
    except ValidationError as error:
        outcome = Outcome(errors=_refused(error), typed=typed, link=where)
        return _render(request, item, outcome, status=400)
    item = visible_item(request, pk)
    done = (
        f"“{follower_item.title}” now waits {lag} working day{'s' if lag != 1 else ''} "
        f"after “{predecessor_item.title}” finishes."
    )
    return _render(request, item, Outcome(done=done, moves=moves))


@login_required
@require_POST
def remove_link(request: HttpRequest, pk: int, follower: int, predecessor: int) -> HttpResponse:
    """Remove a link; nobody moves (removing a constraint never pulls an item earlier)."""
    item, follower_item, predecessor_item = _link(request, pk, follower, predecessor)
    services.unlink_dependency(request.user, follower_item, predecessor_item)
    done = f"“{follower_item.title}” no longer waits for “{predecessor_item.title}”."
    return _render(request, item, Outcome(done=done))


@login_required
@require_GET
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Items this one could wait for, by title (or number), each with where it stands."""
    item = visible_item(request, pk)
    require(permissions.can_edit(request.user, item), "You may not edit this item.")
    term = request.GET.get("q", "").strip()[:200]
    rows: list[WorkItem] = []
    if term:
        waiting_for = WorkItemRelation.objects.filter(kind=DEPENDS_ON, source=item).values(
            "target_id"
        )
        found = (
            WorkItem.objects.visible_to(request.user)
            .filter(organization_id=item.organization_id)
            .exclude(pk=item.pk)
            .exclude(pk__in=waiting_for)
        )
        number = _id(term)
        by_title = found.filter(title__icontains=term)
        matches = by_title | found.filter(pk=number) if number else by_title
        rows = list(matches.order_by("title", "pk")[:CANDIDATE_LIMIT])
        trails = ancestor_trails(r.pk for r in rows)
        for row in rows:
            row.path = " › ".join(title for _, title in trails.get(row.pk, [])[:-1])
    return render(request, CANDIDATES_TEMPLATE, {"item": item, "candidates": rows, "term": term})
