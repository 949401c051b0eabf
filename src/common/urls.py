"""Work item pages under /oobc-management/work-items/."""

from django.urls import path, re_path

from .views import actions, export, items, tree

app_name = "common"

urlpatterns = [
    path("", tree.tree, name="tree"),
    path("new/", items.create, name="create"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", export.export, name="export"),
    path("<int:pk>/", items.detail, name="detail"),
    path("<int:pk>/edit/", items.edit, name="edit"),
    path("<int:pk>/delete/", items.delete, name="delete"),
    path("<int:pk>/move/", actions.move, name="move"),
    path("<int:pk>/move/candidates/", actions.move_candidates, name="move_candidates"),
    path("<int:pk>/status/", actions.set_status, name="set_status"),
    path("<int:pk>/progress/", actions.set_progress, name="set_progress"),
    path("<int:pk>/children/", tree.children, name="children"),
    path("<int:pk>/expand-all/", tree.expand_all, name="expand_all"),
    path("<int:pk>/quick-add/", tree.quick_add, name="quick_add"),
]
