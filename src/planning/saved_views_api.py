"""/api/v1/saved-views/: the saved views a person may see, and writes on them.

The same rules as the pages (`planning.saved_views`): another organisation's view or another
person's private view does not exist for the caller (404); rule violations are 400 with field
messages; changing someone else's view is 403.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api.views import ById
from obcms.ids import MAX_ID

from . import saved_views
from .models import SavedView

VIEW = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
    description="The saved view.",
)


class SavedViewSerializer(serializers.ModelSerializer):
    params = serializers.ListField(
        child=serializers.ListField(
            child=serializers.CharField(max_length=500), min_length=2, max_length=2
        ),
        max_length=60,
        required=False,
        help_text="The page's query string as [name, value] pairs, in order "
        "(filters, columns, sort …).",
    )
    team = serializers.IntegerField(
        source="team_id", required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    url = serializers.SerializerMethodField()
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)

    class Meta:
        model = SavedView
        fields = [
            "id", "name", "view_type", "params", "visibility", "team", "pinned", "owner",
            "organization", "url", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_url(self, view: SavedView) -> str:
        return saved_views.target_url(view)


@extend_schema_view(
    list=extend_schema(summary="Saved views you may open (pinned first)"),
    create=extend_schema(summary="Save a view"),
    retrieve=extend_schema(parameters=[VIEW]),
    partial_update=extend_schema(parameters=[VIEW], summary="Rename, share, pin or re-filter"),
    destroy=extend_schema(parameters=[VIEW], summary="Delete a saved view"),
)
class SavedViewViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SavedViewSerializer
    pagination_class = ById
    lookup_url_kwarg = "id"
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        return saved_views.visible_views(self.request.user)

    def _write(self, view: SavedView, data: dict) -> SavedView:
        """Apply the validated fields and save through the visibility rules."""
        from accounts.models import Team

        if "team_id" in data:
            team_id = data.pop("team_id")
            view.team = Team.objects.filter(pk=team_id).first() if team_id else None
            if team_id and view.team is None:
                raise serializers.ValidationError({"team": ["No such team."]})
        for name, value in data.items():
            setattr(view, name, value)
        return saved_views.save_view(self.request.user, view)

    def create(self, request, *args, **kwargs):
        incoming = SavedViewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        view = self._write(SavedView(), incoming.validated_data)
        return Response(SavedViewSerializer(view).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        view = self.get_object()
        change = SavedViewSerializer(data=request.data, partial=True)
        change.is_valid(raise_exception=True)
        pinned = change.validated_data.pop("pinned", None)
        view = self._write(view, change.validated_data)
        if pinned is not None and pinned != view.pinned:
            saved_views.set_pinned(request.user, view, pinned)
        return Response(SavedViewSerializer(view).data)

    def destroy(self, request, *args, **kwargs):
        saved_views.delete_view(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
