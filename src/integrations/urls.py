from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("webhooks/", views.hooks, name="hooks"),
    path("webhooks/<id:hook_id>/", views.hook, name="hook"),
    path("webhooks/<id:hook_id>/delete/", views.delete, name="delete"),
    path("webhooks/<id:hook_id>/secret/", views.rotate, name="rotate"),
    path(
        "webhooks/<id:hook_id>/deliveries/<id:delivery_id>/resend/",
        views.resend,
        name="resend",
    ),
]
