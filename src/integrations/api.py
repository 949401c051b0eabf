"""/api/v1/webhooks/: configure an organisation's outgoing webhooks and read their delivery log.

Only hooks of organisations the caller manages exist for the caller (anyone else gets 404,
never a hint that a hook is there); writes call `integrations.services`, whose field messages
the API's exception handler answers as 400.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Organization
from common import permissions
from common.api.views import ById
from obcms.ids import MAX_ID

from . import services
from .models import EVENTS, Attempt, Delivery, Webhook

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
HOOK = OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="The webhook.")
DELIVERY = OpenApiParameter(
    "delivery_id", ID_SCHEMA, OpenApiParameter.PATH, description="The delivery."
)


class NewestFirst(ById):
    ordering = "-id"


class WebhookSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(
        source="organization_id", required=False, min_value=1, max_value=MAX_ID
    )
    name = serializers.CharField(max_length=services.NAME_LENGTH)
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENTS)), allow_empty=False, max_length=20
    )
    active = serializers.BooleanField(default=True)

    class Meta:
        model = Webhook
        fields = ["id", "organization", "name", "url", "events", "active", "created_at"]
        read_only_fields = ["created_at"]


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signs every delivery. Shown only in this answer; keep it."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookChangeSerializer(WebhookSerializer):
    name = serializers.CharField(max_length=services.NAME_LENGTH, required=False)
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENTS)),
        allow_empty=False,
        max_length=20,
        required=False,
    )
    active = serializers.BooleanField(required=False)

    class Meta(WebhookSerializer.Meta):
        read_only_fields = ["created_at", "organization"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "at", "status_code", "duration_ms", "response_excerpt", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "uuid", "event", "work_item_id", "state", "attempts", "next_attempt_at",
            "resent_from", "created_at", "body", "log",
        ]  # fmt: skip


def managed_hooks(user):
    return Webhook.objects.filter(
        organization__in=permissions.webhook_organizations(user)
    ).select_related("organization")


@extend_schema_view(
    list=extend_schema(summary="Webhooks of the organisations you manage"),
    create=extend_schema(
        request=WebhookSerializer,
        responses={201: NewWebhookSerializer},
        summary="Add a webhook (its secret is in this answer only)",
    ),
    retrieve=extend_schema(parameters=[HOOK]),
    partial_update=extend_schema(
        parameters=[HOOK], request=WebhookChangeSerializer, summary="Change a webhook"
    ),
    destroy=extend_schema(parameters=[HOOK], summary="Delete a webhook and its delivery log"),
)
class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookSerializer
    pagination_class = NewestFirst
    lookup_url_kwarg = "id"
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        return managed_hooks(self.request.user)

    def create(self, request, *args, **kwargs):
        incoming = WebhookSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        organization = self._organization(data.get("organization_id"))
        hook, secret = services.create_webhook(
            request.user,
            organization,
            name=data["name"],
            url=data["url"],
            events=data["events"],
            active=data.get("active", True),
        )
        hook.secret = secret
        return Response(NewWebhookSerializer(hook).data, status=status.HTTP_201_CREATED)

    def _organization(self, organization_id: int | None) -> Organization:
        user = self.request.user
        organization_id = organization_id or user.organization_id
        organization = (
            permissions.webhook_organizations(user).filter(pk=organization_id).first()
            if organization_id
            else None
        )
        if organization is None:
            raise ValidationError({"organization": ["Not an organisation whose hooks you manage."]})
        return organization

    def partial_update(self, request, *args, **kwargs):
        hook = self.get_object()
        change = WebhookChangeSerializer(data=request.data, partial=True)
        change.is_valid(raise_exception=True)
        services.update_webhook(request.user, hook, **change.validated_data)
        return Response(WebhookSerializer(hook).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_webhook(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[HOOK],
        request=None,
        responses={200: NewWebhookSerializer},
        summary="Replace a webhook's secret (the new one is in this answer only)",
    )
    @action(detail=True, methods=["post"], url_path="secret")
    def rotate_secret(self, request, *args, **kwargs):
        """A leaked or departing secret is replaced at once; later deliveries use the new one."""
        hook = self.get_object()
        services.rotate_secret(request.user, hook)  # sets hook.secret
        return Response(NewWebhookSerializer(hook).data)


@extend_schema_view(
    list=extend_schema(parameters=[HOOK], summary="A webhook's deliveries, newest first"),
)
class DeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DeliverySerializer
    pagination_class = NewestFirst

    def _hook(self) -> Webhook:
        return get_object_or_404(managed_hooks(self.request.user), pk=self.kwargs["id"])

    def get_queryset(self):
        return Delivery.objects.filter(webhook=self._hook()).prefetch_related("log")

    @extend_schema(
        parameters=[HOOK, DELIVERY],
        request=None,
        responses={202: DeliverySerializer},
        summary="Send a delivery again (as a new delivery)",
    )
    @action(detail=False, methods=["post"])
    def resend(self, request, *args, **kwargs):
        delivery = get_object_or_404(
            Delivery.objects.select_related("webhook__organization"),
            pk=kwargs["delivery_id"],
            webhook=self._hook(),
        )
        again = services.resend(request.user, delivery)
        again.refresh_from_db()
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
