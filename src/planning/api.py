"""/api/v1/ endpoints for dependencies, scheduling, working days and the critical path.

Reads start from the permission module (an item someone may not see is a 404; a predecessor
they may not see is a 400 on the field, so nothing is revealed and nothing changes). Writes call
`common.services` (items, links, pushes) or `planning.working_days` (the calendar); their rule
violations come back as 400 with field messages through the API's exception handler.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common import permissions, services
from common.api.views import CONFLICT, ERRORS
from common.models import MAX_LAG_DAYS, SchedulingMode, WorkItem, WorkItemRelation
from obcms.ids import MAX_ID

from . import critical_path, working_days
from .models import NonWorkingDay
from .scheduling import dependencies_of

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


def _visible(request, item_id: int) -> WorkItem:
    return get_object_or_404(WorkItem.objects.visible_to(request.user), pk=item_id)


def _moves(moves: list[services.Move]) -> list[dict]:
    return [
        {
            "id": m.item_id,
            "title": m.title,
            "start_date": m.start_date,
            "due_date": m.due_date,
            "new_start_date": m.new_start,
            "new_due_date": m.new_due,
        }
        for m in moves
    ]


class NewDependency(serializers.Serializer):
    predecessor = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    follower = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    lag_days = serializers.IntegerField(min_value=0, max_value=MAX_LAG_DAYS, default=0)

    def validate(self, attrs):
        if ("predecessor" in attrs) == ("follower" in attrs):
            raise serializers.ValidationError(
                {"predecessor": ["Give either a predecessor or a follower."]}
            )
        return attrs


@extend_schema(
    request=NewDependency,
    responses={200: dict, 201: dict, **ERRORS},
    description="GET: the item's predecessors and followers ('depends on' = finish-to-start). "
    "POST {predecessor|follower, lag_days}: this item follows / precedes the other; "
    "automatic followers that would start too early are pushed and listed in `moved`.",
)
@api_view(["GET", "POST"])
def dependencies(request, item_id: int) -> Response:
    item = _visible(request, item_id)
    if request.method == "GET":
        return Response(dependencies_of(item))
    data = NewDependency(data=request.data)
    data.is_valid(raise_exception=True)
    field = "predecessor" if "predecessor" in data.validated_data else "follower"
    other = WorkItem.objects.visible_to(request.user).filter(pk=data.validated_data[field]).first()
    if other is None:
        raise ValidationError({field: ["No such work item."]})
    follower, predecessor = (item, other) if field == "predecessor" else (other, item)
    relation, moves = services.link_dependency(
        request.user, follower, predecessor, data.validated_data["lag_days"]
    )
    body = {
        "follower": relation.source_id,
        "predecessor": relation.target_id,
        "lag_days": relation.lag_days,
        "moved": _moves(moves),
    }
    return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None, **ERRORS})
@api_view(["DELETE"])
def dependency(request, item_id: int, predecessor_id: int) -> Response:
    item = _visible(request, item_id)
    predecessor = get_object_or_404(WorkItem.objects.visible_to(request.user), pk=predecessor_id)
    if not services.unlink_dependency(request.user, item, predecessor):
        return Response({"detail": "No such dependency."}, status=status.HTTP_404_NOT_FOUND)
    return Response(status=status.HTTP_204_NO_CONTENT)


class Schedule(serializers.Serializer):
    start_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    preview = serializers.BooleanField(default=False)


@extend_schema(
    request=Schedule,
    responses={200: dict, **ERRORS, **CONFLICT},
    description="Move an item's dates; its automatic followers are pushed (never pulled). "
    "With `preview: true` nothing changes and the answer lists who would move.",
)
@api_view(["POST"])
def schedule(request, item_id: int) -> Response:
    item = _visible(request, item_id)
    data = Schedule(data=request.data)
    data.is_valid(raise_exception=True)
    start, due = data.validated_data["start_date"], data.validated_data["due_date"]
    if data.validated_data["preview"]:
        if not permissions.can_edit(request.user, item):
            return Response(
                {"detail": "You may not edit this item."}, status=status.HTTP_403_FORBIDDEN
            )
        if start and due and start > due:
            raise ValidationError({"due_date": ["The due date cannot be before the start date."]})
        moves = services.preview_push(item, start, due)
        return Response({"count": len(moves), "moved": _moves(moves)})
    with transaction.atomic():
        saved = services.update_work_item(
            request.user,
            item,
            expected_version=data.validated_data.get("version"),
            start_date=start,
            due_date=due,
        )
    return Response(
        {
            "id": saved.pk,
            "version": saved.version,
            "start_date": saved.start_date,
            "due_date": saved.due_date,
            "moved": _moves(getattr(saved, "pushed", [])),
        }
    )


class Mode(serializers.Serializer):
    scheduling_mode = serializers.ChoiceField(choices=SchedulingMode.choices)


@extend_schema(request=Mode, responses={200: dict, **ERRORS})
@api_view(["POST"])
def scheduling_mode(request, item_id: int) -> Response:
    item = _visible(request, item_id)
    data = Mode(data=request.data)
    data.is_valid(raise_exception=True)
    moves = services.set_scheduling_mode(request.user, item, data.validated_data["scheduling_mode"])
    return Response(
        {"scheduling_mode": data.validated_data["scheduling_mode"], "moved": _moves(moves)}
    )


@extend_schema(
    request=None,
    responses={200: dict, **ERRORS},
    description="The critical path of the item's subtree: the items on it in order, each with "
    "its slack in working days (0 on the path), and every counted item's slack.",
)
@api_view(["GET"])
def critical_path_view(request, item_id: int) -> Response:
    item = _visible(request, item_id)
    try:
        result, path, items = critical_path.of_subtree(item)
    except ValueError as exc:
        raise ValidationError({"dependencies": [str(exc)]}) from None

    def row(entry: critical_path.PathItem) -> dict:
        return {
            "id": entry.id,
            "title": entry.title,
            "work_type": entry.work_type,
            "start_date": entry.start_date,
            "due_date": entry.due_date,
            "duration": entry.duration,
            "slack": entry.slack,
            "late": entry.late,
        }

    return Response(
        {
            "item": item.pk,
            "length": result.length,
            "path": [row(entry) for entry in path],
            "items": [row(entry) for entry in sorted(items.values(), key=lambda e: e.id)],
        }
    )


class Week(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), min_length=1, max_length=7
    )


class NewDay(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    date = serializers.DateField()
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=NonWorkingDay.Kind.choices, default="closure")


def _organization(request, value) -> int:
    """The organisation asked for, if the caller sees it; by default the caller's own."""
    org = value if value is not None else request.user.organization_id
    if org is None or not permissions.visible_organizations(request.user).filter(pk=org).exists():
        raise ValidationError({"organization": ["No such organisation."]})
    return org


def _calendar(org: int) -> dict:
    calendar = working_days.load([org])[org]
    days = NonWorkingDay.objects.filter(organization_id=org).values("id", "date", "name", "kind")
    return {
        "organization": org,
        "weekdays": sorted(calendar.weekdays),
        "non_working_days": list(days),
    }


@extend_schema(request=Week, responses={200: dict, **ERRORS})
@api_view(["GET", "PUT"])
def working_days_view(request) -> Response:
    if request.method == "GET":
        raw = request.query_params.get("organization")
        if raw is not None and not (raw.isdigit() and 0 < int(raw) <= MAX_ID):
            raise ValidationError({"organization": ["A valid organisation id is required."]})
        return Response(_calendar(_organization(request, int(raw) if raw else None)))
    data = Week(data=request.data)
    data.is_valid(raise_exception=True)
    org = _organization(request, data.validated_data.get("organization"))
    working_days.set_weekdays(request.user, org, data.validated_data["weekdays"])
    return Response(_calendar(org))


@extend_schema(request=NewDay, responses={201: dict, **ERRORS})
@api_view(["POST"])
def non_working_days(request) -> Response:
    data = NewDay(data=request.data)
    data.is_valid(raise_exception=True)
    org = _organization(request, data.validated_data.get("organization"))
    row = working_days.add_non_working_day(
        request.user,
        org,
        data.validated_data["date"],
        data.validated_data["name"],
        data.validated_data["kind"],
    )
    body = {"id": row.pk, "date": row.date, "name": row.name, "kind": row.kind}
    return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={204: None, **ERRORS})
@api_view(["DELETE"])
def non_working_day(request, day_id: int) -> Response:
    row = get_object_or_404(
        NonWorkingDay.objects.filter(
            organization__in=permissions.visible_organizations(request.user)
        ),
        pk=day_id,
    )
    working_days.remove_non_working_day(request.user, row)
    return Response(status=status.HTTP_204_NO_CONTENT)
