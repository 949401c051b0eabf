"""Dashboard pages. Each reads through `resolve_scope` (the permission module's querysets) and
renders a fixed number of queries whatever the data; `?csv=<chart>` downloads one chart's table.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common import permissions
from common.models import WorkItem, WorkType

from . import adoption as adoption_q
from . import budget as budget_q
from . import portfolio as portfolio_q
from .burnup import burnup, weighted_progress
from .charts import Chart, csv_response
from .periods import OPEN
from .report import STATUS_LABELS, TYPE_LABELS
from .scope import Scope, resolve_scope
from .workload import overload_limit
from .workload import workload as workload_q

DRILL_LIMIT = 200


def _drill(scope: Scope) -> str:
    return f"{reverse('insights:items')}?{scope.query}"


def _page(
    request: HttpRequest, template: str, scope: Scope, charts: list[Chart], **context
) -> HttpResponse:
    """Render the dashboard, or one chart's CSV when `?csv=<name>` names one of its charts."""
    wanted = request.GET.get("csv")
    if wanted:
        for chart in charts:
            if chart.name == wanted:
                return csv_response(chart)
        raise Http404("No such chart on this page.")
    return render(
        request,
        template,
        {"nav": "dashboard", "scope": scope, "charts": charts, **context},
    )


def _choices(request: HttpRequest, scope: Scope) -> dict:
    """What the scope picker offers: the organisation's visible teams and people (two queries)."""
    if scope.organization is None:
        return {"teams": [], "people": []}
    user = request.user
    return {
        "teams": permissions.visible_teams(user)
        .filter(organization=scope.organization, is_active=True)
        .order_by("name")
        .values_list("pk", "name"),
        "people": [
            (u.pk, u.display_name)
            for u in permissions.visible_people(user)
            .filter(organization=scope.organization, is_active=True)
            .order_by("first_name", "last_name", "username")
        ],
        "organizations": permissions.visible_organizations(user)
        .order_by("name")
        .values_list("pk", "name"),
        "projects": WorkItem.objects.visible_to(user)
        .filter(organization=scope.organization, work_type=WorkType.PROJECT)
        .order_by("title")
        .values_list("pk", "title"),
    }


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.user, request.GET)
    today = timezone.localdate()
    drill = _drill(scope)
    projects = portfolio_q.project_progress(scope)
    charts = [
        portfolio_q.by_status(scope, drill),
        portfolio_q.by_type(scope, drill),
        projects,
        portfolio_q.due_heatmap(scope, today, drill),
    ]
    tree = reverse("common:tree")
    tree_scope = f"organization={scope.organization.pk}" if scope.organization else ""
    if scope.team:
        tree_scope += f"&team={scope.team.pk}"
    if scope.person:
        tree_scope += f"&assignee={scope.person.pk}"
    return _page(
        request,
        "insights/portfolio.html",
        scope,
        charts,
        page="portfolio",
        headline=portfolio_q.headline(scope.items, today),
        recent=portfolio_q.recently_completed(scope.items),
        reports=list(zip(projects.categories, projects.marks["reports"], strict=True)),
        overdue_url=f"{tree}?due=overdue&{tree_scope}",
        at_risk_url=f"{tree}?status=at_risk&{tree_scope}",
        overdue_drill=f"{drill}&due=overdue",
        at_risk_drill=f"{drill}&status=at_risk",
        **_choices(request, scope),
    )


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.user, request.GET)
    found = workload_q(scope, request.user, timezone.localdate(), _drill(scope))
    return _page(
        request,
        "insights/workload.html",
        scope,
        list(found.values()),
        page="workload",
        found=found,
        overload=overload_limit(),
        **_choices(request, scope),
    )


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.user, request.GET)
    rows = budget_q.budget_rows(scope.items)
    charts = [
        budget_q.budget_chart(rows),
        budget_q.grouped_chart(scope.items, "fiscal_year", "By fiscal year", "Fiscal year"),
        budget_q.grouped_chart(
            scope.items, "funding_source", "By funding source", "Funding source"
        ),
    ]
    return _page(
        request,
        "insights/budget.html",
        scope,
        charts,
        page="budget",
        rows=rows,
        totals=budget_q.totals(scope.items),
        underspend=budget_q.underspend_percent(),
        **_choices(request, scope),
    )


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """Burn-up of the chosen project (the picker offers the organisation's projects)."""
    scope = resolve_scope(request.user, request.GET)
    charts = [burnup(scope.project), weighted_progress(scope.project)] if scope.project else []
    return _page(
        request,
        "insights/progress.html",
        scope,
        charts,
        page="progress",
        **_choices(request, scope),
    )


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def items(request: HttpRequest) -> HttpResponse:
    """The items behind one number on a dashboard: the same scope and the same conditions."""
    scope = resolve_scope(request.user, request.GET)
    found = scope.items
    data = request.GET
    if data.get("status"):
        found = found.filter(status=data["status"])
    if data.get("work_type"):
        found = found.filter(work_type=data["work_type"])
    if data.get("open") == "1":
        found = found.filter(OPEN)
    if data.get("due") == "overdue":
        found = found.filter(OPEN & Q(due_date__lt=timezone.localdate()))
    if due_from := _date(data.get("due_from")):
        found = found.filter(due_date__gte=due_from)
    if due_to := _date(data.get("due_to")):
        found = found.filter(due_date__lte=due_to)
    if data.get("unassigned") == "1":
        found = found.filter(assignees__isnull=True)
    rows = list(
        found.order_by("due_date", "title", "id").values(
            "pk", "title", "work_type", "status", "due_date", "progress"
        )[: DRILL_LIMIT + 1]
    )
    for row in rows:  # the words people read, not the stored codes
        row["type_label"] = TYPE_LABELS.get(row["work_type"], row["work_type"])
        row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
    return render(
        request,
        "insights/items.html",
        {
            "nav": "dashboard",
            "scope": scope,
            "rows": rows[:DRILL_LIMIT],
            "more": len(rows) > DRILL_LIMIT,
            "limit": DRILL_LIMIT,
        },
    )


def require_all_organisations(user: User) -> None:
    """Adoption and satisfaction cover every organisation: administrators only."""
    if not user.has_perm(permissions.VIEW_ALL):
        raise PermissionDenied("Adoption and satisfaction are for administrators.")


@login_required
def adoption(request: HttpRequest) -> HttpResponse:
    """Adoption and satisfaction, for administrators (it names people's feedback)."""
    if not request.user.has_perm("operations.view_feedback"):
        raise PermissionDenied("Adoption and satisfaction are for administrators.")
    scope = resolve_scope(request.user, request.GET)
    organizations = [scope.organization.pk] if scope.organization else []
    weeks = adoption_q.week_starts(timezone.localdate())
    charts = [
        adoption_q.activity(organizations, weeks),
        adoption_q.satisfaction(organizations, weeks),
        adoption_q.by_category(organizations, adoption_q._since(weeks)),
    ]
    return _page(
        request,
        "insights/adoption.html",
        scope,
        charts,
        page="adoption",
        weeks=len(weeks),
        comments=adoption_q.latest_comments(organizations),
        **_choices(request, scope),
    )
