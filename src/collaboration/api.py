"""REST endpoints of the conversation: an item's comments and watchers, and mention search.

Reads start from the permission module (an item someone may not see is a 404); writes call
`collaboration.services`, whose rule violations the API's exception handler answers as 400
with field messages and whose refusals as 403.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from common import permissions
from common.api.views import ById
from common.models import WorkItem
from obcms.ids import MAX_ID, is_id

from . import services
from .attachments import attach_files, remove_attachment
from .models import Attachment, Comment, Watch


class NewestFirst(ById):
    """Like the core API's pages (a damaged cursor is a 400), newest first."""

    ordering = "-id"


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    reply_to = serializers.IntegerField(
        source="reply_to_id", required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    body = serializers.CharField(max_length=services.MAX_LENGTH, allow_blank=True)
    body_html = serializers.CharField(read_only=True)
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "work_item", "author", "reply_to", "body", "body_html", "created_at",
            "edited_at", "deleted",
        ]  # fmt: skip
        read_only_fields = ["work_item", "created_at", "edited_at"]

    def get_author(self, comment: Comment) -> str | None:
        return comment.author.username if comment.author else None

    def get_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None


class CommentChangeSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.MAX_LENGTH, allow_blank=True)


class WatchSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    subtree = serializers.BooleanField(default=False)

    class Meta:
        model = Watch
        fields = ["user", "subtree", "created_at"]
        read_only_fields = ["created_at"]


def _item(request, item_id) -> WorkItem:
    if not is_id(item_id):
        raise ValidationError({"work_item": ["Not an item number."]})
    return get_object_or_404(WorkItem.objects.visible_to(request.user), pk=item_id)


#: Path ids as the routes accept them (up to 18 digits), so clients and the schema agree.
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}
ITEM = OpenApiParameter("item_id", ID_SCHEMA, OpenApiParameter.PATH, description="The work item.")
COMMENT = OpenApiParameter("id", ID_SCHEMA, OpenApiParameter.PATH, description="The comment.")


@extend_schema_view(
    list=extend_schema(parameters=[ITEM], summary="An item's comments, newest first"),
    create=extend_schema(parameters=[ITEM], summary="Comment (Markdown; @mentions notify)"),
    retrieve=extend_schema(parameters=[ITEM, COMMENT]),
    partial_update=extend_schema(
        parameters=[ITEM, COMMENT], request=CommentChangeSerializer, summary="Edit your own comment"
    ),
    destroy=extend_schema(parameters=[ITEM, COMMENT], summary="Remove a comment (its place stays)"),
)
class CommentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommentSerializer
    pagination_class = NewestFirst
    lookup_url_kwarg = "id"
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        item = _item(self.request, self.kwargs["item_id"])
        return Comment.objects.filter(work_item=item).select_related("author")

    def perform_create(self, serializer) -> None:
        item = _item(self.request, self.kwargs["item_id"])
        reply_id = serializer.validated_data.get("reply_to_id")
        reply_to = None
        if reply_id is not None:
            reply_to = Comment.objects.filter(pk=reply_id, work_item=item).first()
            if reply_to is None:
                raise ValidationError({"reply_to": ["No such comment on this item."]})
        serializer.instance = services.post_comment(
            self.request.user, item, serializer.validated_data["body"], reply_to=reply_to
        )

    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        change = CommentChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        services.edit_comment(request.user, comment, change.validated_data["body"])
        return Response(CommentSerializer(comment).data)

    def destroy(self, request, *args, **kwargs):
        services.remove_comment(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[ITEM], summary="Who watches the item"),
    create=extend_schema(parameters=[ITEM], summary="Watch the item (or its whole subtree)"),
)
class WatcherViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = WatchSerializer
    pagination_class = None

    def get_queryset(self):
        item = _item(self.request, self.kwargs["item_id"])
        people = permissions.visible_people(self.request.user)
        return (
            Watch.objects.filter(work_item=item, user__in=people)
            .select_related("user")
            .order_by("user__username")
        )

    def perform_create(self, serializer) -> None:
        item = _item(self.request, self.kwargs["item_id"])
        serializer.instance = services.watch(
            self.request.user, item, subtree=serializer.validated_data.get("subtree", False)
        )

    @extend_schema(parameters=[ITEM], request=None, responses={204: None}, summary="Stop watching")
    def unwatch(self, request, *args, **kwargs):
        services.unwatch(request.user, _item(request, kwargs["item_id"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Comments that mention me (or a person or team I can see)",
        parameters=[
            OpenApiParameter("user", int, description="A person's id (default: me)."),
            OpenApiParameter("team", int, description="A team's id instead of a person."),
        ],
    )
)
class MentionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CommentSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        user = self.request.user
        visible = permissions.rows_about_visible_items(
            Comment.objects.filter(deleted_at__isnull=True), user, "work_item"
        ).select_related("author")
        for name in ("user", "team"):
            raw = self.request.query_params.get(name)
            if raw is not None and not is_id(raw):
                raise ValidationError({name: ["Give a number."]})
        if team := self.request.query_params.get("team"):
            team_ok = permissions.visible_teams(user).filter(pk=team).exists()
            return visible.filter(mentions__team_id=team) if team_ok else visible.none()
        person = self.request.query_params.get("user") or user.pk
        if not permissions.visible_people(user).filter(pk=person).exists():
            return visible.none()
        return visible.filter(mentions__user_id=person).distinct()


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "original_name", "content_type", "size", "width", "height", "comment",
            "uploaded_by", "created_at", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_uploaded_by(self, attachment: Attachment) -> str | None:
        return attachment.uploaded_by.username if attachment.uploaded_by else None

    def get_download(self, attachment: Attachment) -> str:
        return f"/oobc-management/work-items/{attachment.work_item_id}/files/{attachment.pk}/"


class UploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)
    comment = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


@extend_schema_view(
    list=extend_schema(parameters=[ITEM], summary="An item's files, newest first"),
    create=extend_schema(
        parameters=[ITEM],
        request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentSerializer(many=True)},
        summary="Upload files (checked by content; all or none are stored)",
    ),
    destroy=extend_schema(parameters=[ITEM, COMMENT], summary="Remove a file"),
)
class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Files through the API; the bytes come from each file's `download` address."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]
    lookup_url_kwarg = "id"

    @property
    def pagination_class(self):
        """Pages for the list; an upload answers with the plain list of the files it stored
        (and the schema says so: drf-spectacular reads this per action)."""
        return None if getattr(self, "action", None) == "create" else NewestFirst

    def get_queryset(self):
        item = _item(self.request, self.kwargs["item_id"])
        return Attachment.objects.filter(work_item=item).select_related("uploaded_by")

    def create(self, request, *args, **kwargs):
        item = _item(request, kwargs["item_id"])
        fields = {k: v for k, v in request.POST.items() if k != "files"}
        upload = UploadSerializer(data={**fields, "files": request.FILES.getlist("files")})
        upload.is_valid(raise_exception=True)
        comment = None
        if "comment" in upload.validated_data:
            comment = Comment.objects.filter(
                pk=upload.validated_data["comment"], work_item=item
            ).first()
            if comment is None:
                raise ValidationError({"comment": ["No such comment on this item."]})
        made = attach_files(request.user, item, upload.validated_data["files"], comment=comment)
        return Response(AttachmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        remove_attachment(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
