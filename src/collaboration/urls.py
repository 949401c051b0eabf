from django.urls import path

from . import views

app_name = "collaboration"
urlpatterns = [
    path("<int:pk>/conversation/", views.stream, name="stream"),
    path("<int:pk>/conversation/comments/", views.post, name="post"),
    path("<int:pk>/conversation/comments/<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:pk>/conversation/comments/<int:comment_id>/remove/", views.remove, name="remove"),
    path("<int:pk>/conversation/watch/", views.watch, name="watch"),
    path("<int:pk>/conversation/preview/", views.preview, name="preview"),
    path("<int:pk>/conversation/people/", views.people, name="people"),
]
