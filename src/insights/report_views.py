"""The project report at /oobc-management/work-items/<id>/report/ (page, PDF and XLSX).

Only people who can see the item get it (`report.report_item`: a 404 otherwise, so another
organisation cannot even learn that the id exists). `?csv=<chart>` downloads a chart's table.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from common.models import WorkItem, WorkType

from .charts import csv_response
from .report import load_report
from .report_pdf import render_pdf
from .report_xlsx import render_xlsx
from .scope import Scope


def _filename(report, extension: str) -> str:
    name = slugify(report.item.title)[:60] or "project"
    return f"report-{report.item.pk}-{name}-{report.today.isoformat()}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    report = load_report(request.user, pk)
    wanted = request.GET.get("csv")
    if wanted:
        for chart in report.charts:
            if chart.name == wanted:
                return csv_response(chart, f"report-{pk}")
        raise Http404("No such chart in this report.")
    item = report.item
    params = {"organization": str(item.organization_id)}
    if item.work_type in (WorkType.PROJECT, WorkType.SUB_PROJECT):
        params["project"] = str(item.pk)
    scope = Scope(WorkItem.objects.none(), item.organization, item.title, params)
    return render(
        request,
        "insights/report/page.html",
        {"nav": "dashboard", "report": report, "scope": scope, "pdf": False},
    )


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = load_report(request.user, pk)
    return _download(render_pdf(report), "application/pdf", _filename(report, "pdf"))


@login_required
@require_GET
def xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = load_report(request.user, pk)
    return _download(
        render_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, "xlsx"),
    )
