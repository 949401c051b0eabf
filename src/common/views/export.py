"""Exports of the tree as it is filtered on screen: CSV and XLSX, in tree order with levels."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Team, User
from common.models import WorkItem
from common.queries.tree_rows import depth_first
from common.tree import ancestor_ids_of_many

from .tree import filtered

EXPORT_LIMIT = 20000
HEADER = [
    "Level",
    "Type",
    "Title",
    "Status",
    "Priority",
    "Progress %",
    "Start",
    "Due",
    "Assignees",
    "Teams",
    "Organisation",
    "Matches filter",
    "ID",
    "Parent ID",
]


def _rows(request: HttpRequest) -> tuple[list[WorkItem], dict[int, int], set[int] | None]:
    filters = filtered(request)
    visible = WorkItem.objects.visible_to(request.user)
    people = (
        Prefetch("assignees", queryset=User.objects.only("username", "first_name", "last_name")),
        Prefetch("teams", queryset=Team.objects.only("name")),
    )
    if filters.is_active:
        ids = list(filters.qs.order_by("pk").values_list("pk", flat=True)[:EXPORT_LIMIT])
        paths = ancestor_ids_of_many(ids)
        wanted = set(ids).union(*paths.values()) if paths else set(ids)
        rows = list(
            visible.filter(pk__in=wanted).select_related("organization").prefetch_related(*people)
        )
        tops = sorted({(p[0] if p else pk) for pk, p in paths.items()})
        tops = [
            r.pk
            for r in sorted((r for r in rows if r.pk in tops), key=lambda r: (r.position, r.pk))
        ]
        ordered, depth = depth_first(rows, tops)
        return ordered, depth, set(ids)
    rows = list(
        visible.with_tree_fields()
        .select_related("organization")
        .prefetch_related(*people)[:EXPORT_LIMIT]
    )
    return rows, {r.pk: r.tree_depth for r in rows}, None


def _values(row: WorkItem, depth: dict[int, int], matches: set[int] | None) -> list:
    return [
        depth.get(row.pk, 0) + 1,
        row.get_work_type_display(),
        row.title,
        row.get_status_display(),
        row.get_priority_display(),
        row.progress,
        row.start_date.isoformat() if row.start_date else "",
        row.due_date.isoformat() if row.due_date else "",
        ", ".join(u.display_name for u in row.assignees.all()),
        ", ".join(t.name for t in row.teams.all()),
        str(row.organization),
        "" if matches is None else ("yes" if row.pk in matches else "context"),
        row.pk,
        row.parent_id or "",
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value):
    """Keep spreadsheet programs from running text that starts like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = filtered(request)
    if filters.is_bound and not filters.form.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters: "
            + "; ".join(f"{k}: {' '.join(v)}" for k, v in filters.form.errors.items())
        )
    rows, depth, matches = _rows(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff" + writer.writerow(HEADER)
            for row in rows:
                yield writer.writerow([_safe(v) for v in _values(row, depth, matches)])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="work-items-{stamp}.csv"'
        return response
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Work items")
    bold = book.add_format({"bold": True, "bg_color": "#D5EBE3"})
    indents = [book.add_format({"indent": level}) for level in range(12)]
    sheet.write_row(0, 0, HEADER, bold)
    sheet.freeze_panes(1, 0)
    sheet.set_column(2, 2, 60)
    sheet.set_column(8, 10, 24)
    for index, row in enumerate(rows, start=1):
        values = _values(row, depth, matches)
        sheet.write_row(index, 0, values)
        sheet.write_string(index, 2, row.title, indents[min(depth.get(row.pk, 0), 11)])
    sheet.autofilter(0, 0, max(len(rows), 1), len(HEADER) - 1)
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="work-items-{stamp}.xlsx"'
    return response
