"""/api/v1/ routes of planning (included beside the core API's)."""

from django.urls import path

from . import api

urlpatterns = [
    path("work-items/<id:item_id>/dependencies/", api.dependencies, name="api-dependencies"),
    path(
        "work-items/<id:item_id>/dependencies/<id:predecessor_id>/",
        api.dependency,
        name="api-dependency",
    ),
    path("work-items/<id:item_id>/schedule/", api.schedule, name="api-schedule"),
    path(
        "work-items/<id:item_id>/scheduling-mode/",
        api.scheduling_mode,
        name="api-scheduling-mode",
    ),
    path(
        "work-items/<id:item_id>/critical-path/",
        api.critical_path_view,
        name="api-critical-path",
    ),
    path("working-days/", api.working_days_view, name="api-working-days"),
    path("working-days/non-working-days/", api.non_working_days, name="api-non-working-days"),
    path(
        "working-days/non-working-days/<id:day_id>/",
        api.non_working_day,
        name="api-non-working-day",
    ),
]
