"""/api/v1/ routes, the OpenAPI schema and its browsable documentation."""

from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("work-items", views.WorkItemViewSet, basename="workitem")
router.register("teams", views.TeamViewSet, basename="team")
router.register("users", views.UserViewSet, basename="user")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("calendar-subscriptions", views.SubscriptionViewSet, basename="subscription")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", TemplateView.as_view(template_name="common/api_docs.html"), name="api-docs"),
]
