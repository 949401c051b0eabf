from django.urls import path

from . import file_views, views

app_name = "collaboration"
urlpatterns = [
    path("<id:pk>/conversation/", views.stream, name="stream"),
    path("<id:pk>/conversation/comments/", views.post, name="post"),
    path("<id:pk>/conversation/comments/<id:comment_id>/edit/", views.edit, name="edit"),
    path("<id:pk>/conversation/comments/<id:comment_id>/remove/", views.remove, name="remove"),
    path("<id:pk>/conversation/watch/", views.watch, name="watch"),
    path("<id:pk>/conversation/preview/", views.preview, name="preview"),
    path("<id:pk>/conversation/people/", views.people, name="people"),
    path("<id:pk>/conversation/files/", file_views.upload, name="upload"),
    path("<id:pk>/files/<id:attachment_id>/", file_views.download, name="download"),
    path("<id:pk>/files/<id:attachment_id>/thumbnail/", file_views.thumbnail, name="thumbnail"),
    path("<id:pk>/files/<id:attachment_id>/remove/", file_views.remove, name="remove_file"),
]
