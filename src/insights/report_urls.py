"""The project report under /oobc-management/work-items/<id>/ (included before the core's
work-item URLs in obcms/urls.py; none of these paths exist there, so the order only keeps the
report's names in one place)."""

from django.urls import path

from . import report_views

app_name = "insights_report"

urlpatterns = [
    path("<id:pk>/report/", report_views.page, name="page"),
    path("<id:pk>/report.pdf", report_views.pdf, name="pdf"),
    path("<id:pk>/report.xlsx", report_views.xlsx, name="xlsx"),
]
