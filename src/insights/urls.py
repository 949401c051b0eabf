"""Dashboards under /oobc-management/dashboard/."""

from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("workload/", views.workload, name="workload"),
    path("budget/", views.budget, name="budget"),
    path("progress/", views.progress, name="progress"),
    path("items/", views.items, name="items"),
    path("adoption/", views.adoption, name="adoption"),
]
