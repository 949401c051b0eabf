"""/api/v1/saved-views/ routes (included beside the core API's)."""

from django.urls import path

from .saved_views_api import SavedViewViewSet

views = SavedViewViewSet.as_view({"get": "list", "post": "create"})
view = SavedViewViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("saved-views/", views, name="api-saved-views"),
    path("saved-views/<id:id>/", view, name="api-saved-view"),
]
