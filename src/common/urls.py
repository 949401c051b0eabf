"""Work item pages under /oobc-management/work-items/."""

from django.urls import path, re_path

from .views import actions, export, items, parent_dates, tree

app_name = "common"

urlpatterns = [
    path("", tree.tree, name="tree"),
    path("new/", items.create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", export.export, name="export"),
    path("<id:pk>/", items.detail, name="detail"),
    path("<id:pk>/edit/", items.edit, name="edit"),
    path("<id:pk>/delete/", items.delete, name="delete"),
    path("<id:pk>/extend-parent/", parent_dates.extend_parent, name="extend_parent"),
    path("<id:pk>/move/", actions.move, name="move"),
    path("<id:pk>/move/candidates/", actions.move_candidates, name="move_candidates"),
    path("<id:pk>/status/", actions.set_status, name="set_status"),
    path("<id:pk>/progress/", actions.set_progress, name="set_progress"),
    path("<id:pk>/children/", tree.children, name="children"),
    path("<id:pk>/expand-all/", tree.expand_all, name="expand_all"),
    path("<id:pk>/quick-add/", tree.quick_add, name="quick_add"),
]
