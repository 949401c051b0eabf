"""Planning pages under /oobc-management/: board, timeline, saved views, and the "Schedule"
section of an item's page (under work-items/<id>/schedule/, beside the core's item pages)."""

from django.urls import path

from . import (
    board_views,
    saved_views_views,
    schedule_views,
    timeline_views,
    working_days_views,
)

app_name = "planning"

urlpatterns: list = [
    path("board/", board_views.board_page, name="board"),
    path("board/cards/", board_views.cell_cards, name="board_cards"),
    path("board/<id:pk>/move/", board_views.move_card, name="board_move"),
    path("timeline/", timeline_views.timeline_page, name="timeline"),
    path("timeline/data/", timeline_views.timeline_data, name="timeline_data"),
    path("working-days/", working_days_views.working_days_page, name="working_days"),
    path(
        "working-days/<id:day_id>/remove/",
        working_days_views.remove_day,
        name="working_day_remove",
    ),
    path("work-items/<id:pk>/schedule/", schedule_views.section, name="schedule"),
    path("work-items/<id:pk>/schedule/mode/", schedule_views.set_mode, name="schedule_mode"),
    path(
        "work-items/<id:pk>/schedule/predecessors/",
        schedule_views.add_predecessor,
        name="schedule_add",
    ),
    path(
        "work-items/<id:pk>/schedule/candidates/",
        schedule_views.candidates,
        name="schedule_candidates",
    ),
    path(
        "work-items/<id:pk>/schedule/links/<id:follower>/<id:predecessor>/lag/",
        schedule_views.change_lag,
        name="schedule_lag",
    ),
    path(
        "work-items/<id:pk>/schedule/links/<id:follower>/<id:predecessor>/remove/",
        schedule_views.remove_link,
        name="schedule_remove",
    ),
    path("views/", saved_views_views.view_list, name="views"),
    path("views/new/", saved_views_views.view_new, name="view_new"),
    path("views/<id:pk>/", saved_views_views.view_open, name="view_open"),
    path("views/<id:pk>/edit/", saved_views_views.view_edit, name="view_edit"),
    path("views/<id:pk>/delete/", saved_views_views.view_delete, name="view_delete"),
    path("views/<id:pk>/pin/", saved_views_views.view_pin, name="view_pin"),
    path("views/<id:pk>/default/", saved_views_views.view_default, name="view_default"),
]
