"""The one write path for files on items: check every file by its content, store them all or
none, make thumbnails of pictures, and remove the stored bytes with the record."""

from __future__ import annotations

import io
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from PIL import Image

from common import permissions
from common.models import WorkItem

from . import signals
from .filetypes import sniff
from .models import Attachment, Comment, Watch

THUMBNAIL = (320, 320)


def _size_in_words(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def _check_limits(item: WorkItem, files: list) -> None:
    if not files:
        raise ValidationError({"files": "Choose at least one file."})
    most = settings.ATTACHMENT_MAX_FILES_PER_UPLOAD
    if len(files) > most:
        raise ValidationError({"files": f"At most {most} files at once ({len(files)} chosen)."})
    already = Attachment.objects.filter(work_item=item).count()
    if already + len(files) > settings.ATTACHMENT_MAX_PER_ITEM:
        raise ValidationError(
            {
                "files": f"An item holds at most {settings.ATTACHMENT_MAX_PER_ITEM} files; "
                f"this one has {already}."
            }
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    for upload in files:
        if upload.size > limit:
            raise ValidationError(
                {
                    "files": f"“{upload.name}” is {_size_in_words(upload.size)}; at most "
                    f"{_size_in_words(limit)} per file."
                }
            )


def _thumbnail(name: str, data: bytes) -> bytes:
    """A small PNG of the picture; decoding it here is what finds a truncated file."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail(THUMBNAIL)
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("P", "LA", "RGBA") else "RGB").save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(
            {"files": f"“{name}”: the picture is damaged or not really a picture."}
        ) from None


def attach_files(
    actor, item: WorkItem, files: list, *, comment: Comment | None = None
) -> list[Attachment]:
    """Store `files` on `item` (and `comment`): all of them, or — on any refusal — none."""
    if not permissions.can_comment(actor, item):
        raise PermissionDenied("You may not add files to this item.")
    if comment is not None and comment.work_item_id != item.pk:
        raise ValidationError({"comment": "That comment belongs to another item."})
    if comment is not None and (comment.author_id != actor.pk or comment.deleted_at is not None):
        raise PermissionDenied("Files can be added only to your own comments.")
    _check_limits(item, files)
    checked = []
    for upload in files:
        data = upload.read()
        name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
        checked.append((name, data, sniff(name, data)))
    stored: list[str] = []
    try:
        with transaction.atomic():
            made = []
            for name, data, kind in checked:
                attachment = Attachment(
                    work_item=item,
                    comment=comment,
                    original_name=name,
                    content_type=kind.content_type,
                    size=len(data),
                    width=kind.width,
                    height=kind.height,
                    uploaded_by=actor,
                )
                attachment.file.save(name, ContentFile(data), save=False)
                stored.append(attachment.file.name)
                if kind.width:
                    attachment.thumbnail.save(name, ContentFile(_thumbnail(name, data)), save=False)
                    stored.append(attachment.thumbnail.name)
                attachment.save()
                made.append(attachment)
            Watch.objects.get_or_create(work_item=item, user=actor)
            for attachment in made:
                transaction.on_commit(
                    partial(signals.attachment_added.send, sender=Attachment, attachment=attachment)
                )
    except BaseException:
        for name in stored:  # nothing half-stored survives a failure
            default_storage.delete(name)
        raise
    return made


def remove_attachment(actor, attachment: Attachment) -> None:
    """The uploader, or a moderator of the item's organisation, removes a file."""
    if not permissions.can_remove_attachment(actor, attachment):
        raise PermissionDenied("You may not remove this file.")
    attachment.delete()


@receiver(post_delete, sender=Attachment, dispatch_uid="collaboration.attachment_files")
def _delete_files(sender, instance: Attachment, **kwargs) -> None:
    """When the record goes (removed, or its item deleted), its bytes go after commit."""
    names = [f.name for f in (instance.file, instance.thumbnail) if f]
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names], robust=True)
