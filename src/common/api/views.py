"""API endpoints. Every read starts from `visible_to`; every write calls `common.services`."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts.models import Team, User
from common import permissions, services
from common.calendar import subscriptions
from common.calendar.params import ParameterError
from common.filters import WorkItemFilter
from common.models import CalendarSubscription, WorkItem
from common.tree import ancestor_trails, ancestors
from notifications.delivery import mark_all_read, mark_read
from notifications.models import Notification
from obcms.ids import ID_PATTERN, is_id

from . import serializers as s

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field and its problem."),
    401: OpenApiResponse(description="No or an invalid token or session."),
    403: OpenApiResponse(description="Your role does not allow this."),
    404: OpenApiResponse(description="No such item, or not visible to you."),
}
CONFLICT = {
    409: OpenApiResponse(
        description="Changed since your version; the body carries `current`, the item as it is now."
    )
}


class ById(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        """A damaged cursor is bad input (400), not a missing page."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None


def _crumbs(items: list[WorkItem]) -> dict[int, list[dict]]:
    """Breadcrumbs (root → parent) for a page of items with one recursive query."""
    trails = ancestor_trails({i.parent_id for i in items if i.parent_id})
    return {
        item.pk: [{"id": pk, "title": title} for pk, title in trails[item.parent_id]]
        for item in items
        if item.parent_id
    }


@extend_schema_view(
    list=extend_schema(
        summary="Work items you can see (cursor-paginated, filterable)",
        responses={200: s.WorkItemSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    ),
    retrieve=extend_schema(
        summary="One work item with its breadcrumb",
        responses={200: s.WorkItemSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    ),
)
class WorkItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.WorkItemSerializer
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_class = WorkItemFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return WorkItem.objects.none()
        # A correlated count, computed for the page's rows only: a grouped join would count the
        # children of every visible item before the cursor picks fifty.
        children = (
            WorkItem.objects.filter(parent=OuterRef("pk"))
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            WorkItem.objects.visible_to(self.request.user)
            .annotate(children_count=Coalesce(Subquery(children), 0))
            .prefetch_related(
                Prefetch("assignees", queryset=User.objects.only("pk")),
                Prefetch("teams", queryset=Team.objects.only("pk")),
            )
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "breadcrumbs": _crumbs(page)}
        return self.get_paginated_response(
            s.WorkItemSerializer(page, many=True, context=context).data
        )

    def _respond(self, item: WorkItem, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(
            s.WorkItemSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        summary="Create a work item",
        request=s.WorkItemCreateSerializer,
        responses={201: s.WorkItemSerializer, **ERRORS},
    )
    def create(self, request):
        incoming = s.WorkItemCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.service_arguments()
        parent_id = data.pop("parent", None)
        organization_id = data.pop("organization", None)
        position = data.pop("position", None)
        parent = (
            WorkItem.objects.visible_to(request.user).filter(pk=parent_id).first()
            if parent_id
            else None
        )
        if parent_id and parent is None:
            raise ValidationError({"parent": ["No such item, or not visible to you."]})
        organization = None
        if organization_id:
            organization = (
                permissions.visible_organizations(request.user).filter(pk=organization_id).first()
            )
            if organization is None:
                raise ValidationError({"organization": ["No such organisation."]})
        item = services.create_work_item(
            request.user,
            parent=parent,
            organization=organization,
            index=position,
            reason="api",
            **data,
        )
        return self._respond(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change fields (optimistic locking with `version`)",
        request=s.WorkItemUpdateSerializer,
        responses={200: s.WorkItemSerializer, **ERRORS, **CONFLICT},
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        incoming = s.WorkItemUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.service_arguments()
        version = data.pop("version", None)
        saved = services.update_work_item(
            request.user, item, expected_version=version, reason="api", **data
        )
        return self._respond(saved)

    @extend_schema(
        summary="Delete a work item",
        parameters=[
            OpenApiParameter("cascade", OpenApiTypes.BOOL, description="Delete the subtree too."),
            OpenApiParameter(
                "reparent_to",
                OpenApiTypes.STR,
                description="Move the children to this item id, or `root`.",
            ),
            OpenApiParameter("version", OpenApiTypes.INT, description="The version you read."),
        ],
        responses={204: OpenApiResponse(description="Deleted."), **ERRORS, **CONFLICT},
    )
    def destroy(self, request, pk=None):
        item = self.get_object()
        params = request.query_params
        kwargs = {}
        cascade = params.get("cascade", "").lower()
        if cascade not in ("", "true", "false", "1", "0"):
            raise ValidationError({"cascade": ["Use true or false."]})
        if cascade in ("true", "1"):
            kwargs["cascade"] = True
        target = params.get("reparent_to")
        if target:
            if target == "root":
                kwargs["reparent_to"] = None
            elif is_id(target):
                found = WorkItem.objects.visible_to(request.user).filter(pk=int(target)).first()
                if found is None:
                    raise ValidationError({"reparent_to": ["No such item, or not visible."]})
                kwargs["reparent_to"] = found
            else:
                raise ValidationError({"reparent_to": ["Give an item id or `root`."]})
        version = params.get("version")
        if version is not None and not is_id(version):
            raise ValidationError({"version": ["Give a whole number."]})
        services.delete_work_item(
            request.user,
            item,
            expected_version=int(version) if version else None,
            reason="api",
            **kwargs,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move under another parent and/or to another position",
        request=s.MoveSerializer,
        responses={200: s.WorkItemSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        item = self.get_object()
        incoming = s.MoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        parent_id = incoming.validated_data["parent"]
        parent = None
        if parent_id is not None:
            parent = WorkItem.objects.visible_to(request.user).filter(pk=parent_id).first()
            if parent is None:
                raise ValidationError({"parent": ["No such item, or not visible to you."]})
        moved = services.move_work_item(
            request.user,
            item,
            parent=parent,
            index=incoming.validated_data.get("position"),
            expected_version=incoming.validated_data.get("version"),
            reason="api",
        )
        return self._respond(moved)

    @extend_schema(
        summary="Direct children, in order",
        responses={200: s.WorkItemSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def children(self, request, pk=None):
        item = self.get_object()
        rows = list(self.get_queryset().filter(parent=item).order_by("position", "id"))
        context = {**self.get_serializer_context(), "breadcrumbs": _crumbs(rows)}
        return Response(s.WorkItemSerializer(rows, many=True, context=context).data)

    @extend_schema(
        summary="Ancestors from the top item down to the parent",
        responses={200: s.CrumbSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def ancestors(self, request, pk=None):
        item = self.get_object()
        return Response([{"id": a.pk, "title": a.title} for a in ancestors(item)])

    @extend_schema(
        summary="Change history, newest first (up to 100 entries)",
        responses={200: s.HistoryEntrySerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        item = self.get_object()
        records = item.history.select_related("history_user").order_by("-history_id")[:100]
        return Response(
            [
                {
                    "history_id": r.history_id,
                    "history_date": r.history_date,
                    "history_type": r.history_type,
                    "history_change_reason": r.history_change_reason,
                    "user": str(r.history_user) if r.history_user else None,
                    "title": r.title,
                    "status": r.status,
                    "progress": r.progress,
                    "parent": r.parent_id,
                    "version": r.version,
                }
                for r in records
            ]
        )

    @extend_schema(
        summary="Set the status and/or assignees of many items; results per item",
        request=s.BulkUpdateSerializer,
        responses={200: s.BulkResultSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401]},
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def bulk(self, request):
        incoming = s.BulkUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = {k: v for k, v in incoming.validated_data.items() if k != "ids"}
        visible = set(
            WorkItem.objects.visible_to(request.user)
            .filter(pk__in=incoming.validated_data["ids"])
            .values_list("pk", flat=True)
        )
        results = []
        for item_id in dict.fromkeys(incoming.validated_data["ids"]):
            if item_id not in visible:
                results.append({"id": item_id, "ok": False, "error": "No such item."})
                continue
            outcome = services.bulk_update(request.user, item_id, reason="api bulk", **changes)
            results.append({"id": item_id, "ok": outcome.ok, "error": outcome.error})
        return Response(results)


@extend_schema_view(
    list=extend_schema(summary="Teams you can see"), retrieve=extend_schema(summary="One team")
)
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.TeamSerializer
    pagination_class = ById

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Team.objects.none()
        return permissions.visible_teams(self.request.user).prefetch_related(
            Prefetch("members", queryset=permissions.visible_people(self.request.user))
        )


@extend_schema_view(
    list=extend_schema(summary="People of your organisation"),
    retrieve=extend_schema(summary="One person of your organisation"),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.UserSerializer
    pagination_class = ById

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return User.objects.none()
        # People of one's own organisation, even for those who see every organisation's work:
        # the directory is for assigning, and assignments stay inside an organisation.
        return permissions.visible_people(self.request.user).filter(
            organization_id=self.request.user.organization_id, is_active=True
        )


class NewestFirst(ById):
    ordering = "-id"


class OwnedByCaller:
    """Resources that belong to one person: each caller sees only their own."""

    owned_model: type

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.owned_model.objects.none()
        return self.owned_model.objects.filter(user=self.request.user)


@extend_schema_view(list=extend_schema(summary="Your notifications, newest first"))
class NotificationViewSet(OwnedByCaller, mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.NotificationSerializer
    pagination_class = NewestFirst

    owned_model = Notification

    @extend_schema(
        summary="Mark one notification as read",
        request=None,
        responses={200: s.NotificationSerializer, 404: ERRORS[404]},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = mark_read(self.get_object())
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all your notifications as read",
        request=None,
        responses={200: OpenApiResponse(description='{"marked": count}')},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": mark_all_read(request.user)})


@extend_schema_view(list=extend_schema(summary="Your calendar subscriptions"))
class SubscriptionViewSet(OwnedByCaller, mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = s.SubscriptionSerializer
    pagination_class = ById

    owned_model = CalendarSubscription

    @extend_schema(
        summary="Create a subscription address (shown once)",
        request=s.SubscriptionCreateSerializer,
        responses={201: s.SubscriptionCreatedSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
    def create(self, request):
        incoming = s.SubscriptionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        query = QueryDict(mutable=True)
        for key, values in (incoming.validated_data.get("filters") or {}).items():
            if key not in subscriptions.BINDABLE:
                raise ValidationError({"filters": [f"“{key}” is not a feed filter."]})
            query.setlist(key, values)
        try:
            created, token = subscriptions.issue(
                request.user, incoming.validated_data["name"], query
            )
        except ParameterError as error:
            raise ValidationError({"filters": [f"{error.parameter}: {error.message}"]}) from None
        data = s.SubscriptionSerializer(created).data
        data["url"] = request.build_absolute_uri(f"/oobc-management/calendar/ics/{token}.ics")
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke a subscription (its address stops working at once)",
        responses={204: OpenApiResponse(description="Revoked."), 404: ERRORS[404]},
    )
    def destroy(self, request, pk=None):
        subscriptions.revoke(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
