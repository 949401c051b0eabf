"""JSON errors for the API: service rule violations as 400 with field messages, refusals as
403, stale edits as 409 with the current values — never an HTML page, never a 500 for input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.models import WorkItem
from common.services import VersionConflict


def api_exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        from .serializers import WorkItemSerializer

        current = WorkItem.objects.get(pk=exc.current.pk)
        return Response(
            {
                "detail": str(exc),
                "code": "version_conflict",
                "current": WorkItemSerializer(current, context=context).data,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(
            {"detail": str(exc) or "You may not do this."}, status=status.HTTP_403_FORBIDDEN
        )
    if isinstance(exc, WorkItem.DoesNotExist):
        return Response({"detail": "No such work item."}, status=status.HTTP_404_NOT_FOUND)
    return exception_handler(exc, context)
