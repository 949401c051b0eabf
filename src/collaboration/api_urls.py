"""/api/v1/ routes of the conversation (included beside the core API's)."""

from django.urls import path

from .api import AttachmentViewSet, CommentViewSet, MentionViewSet, WatcherViewSet

comments = CommentViewSet.as_view({"get": "list", "post": "create"})
comment = CommentViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)
watchers = WatcherViewSet.as_view({"get": "list", "post": "create", "delete": "unwatch"})

files = AttachmentViewSet.as_view({"get": "list", "post": "create"})
file = AttachmentViewSet.as_view({"delete": "destroy"})

urlpatterns = [
    path("work-items/<id:item_id>/attachments/", files, name="api-attachments"),
    path("work-items/<id:item_id>/attachments/<id:id>/", file, name="api-attachment"),
    path("work-items/<id:item_id>/comments/", comments, name="api-comments"),
    path("work-items/<id:item_id>/comments/<id:id>/", comment, name="api-comment"),
    path("work-items/<id:item_id>/watchers/", watchers, name="api-watchers"),
    path("mentions/", MentionViewSet.as_view({"get": "list"}), name="api-mentions"),
]
