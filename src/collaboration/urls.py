from django.urls import path

from . import views

app_name = "collaboration"
urlpatterns = [
    path("<id:pk>/conversation/", views.stream, name="stream"),
    path("<id:pk>/conversation/comments/", views.post, name="post"),
    path("<id:pk>/conversation/comments/<id:comment_id>/edit/", views.edit, name="edit"),
    path("<id:pk>/conversation/comments/<id:comment_id>/remove/", views.remove, name="remove"),
    path("<id:pk>/conversation/watch/", views.watch, name="watch"),
    path("<id:pk>/conversation/preview/", views.preview, name="preview"),
    path("<id:pk>/conversation/people/", views.people, name="people"),
]
