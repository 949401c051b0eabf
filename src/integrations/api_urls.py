"""/api/v1/ routes of outgoing webhooks (included beside the core API's)."""

from django.urls import path

from .api import DeliveryViewSet, WebhookViewSet

hooks = WebhookViewSet.as_view({"get": "list", "post": "create"})
hook = WebhookViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})
rotate = WebhookViewSet.as_view({"post": "rotate_secret"})
deliveries = DeliveryViewSet.as_view({"get": "list"})
resend = DeliveryViewSet.as_view({"post": "resend"})

urlpatterns = [
    path("webhooks/", hooks, name="api-webhooks"),
    path("webhooks/<id:id>/", hook, name="api-webhook"),
    path("webhooks/<id:id>/secret/", rotate, name="api-webhook-secret"),
    path("webhooks/<id:id>/deliveries/", deliveries, name="api-webhook-deliveries"),
    path(
        "webhooks/<id:id>/deliveries/<id:delivery_id>/resend/",
        resend,
        name="api-webhook-resend",
    ),
]
