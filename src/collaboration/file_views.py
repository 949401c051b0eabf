"""Files on an item: upload (several at once, from the page or with a comment), download under
the original name, thumbnails, removal. Bytes are only ever sent after the permission check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from common.views.helpers import visible_item

from .attachments import attach_files, remove_attachment
from .filetypes import INLINE
from .models import Attachment
from .views import _panel


def _attachment(request: HttpRequest, pk: int, attachment_id: int) -> Attachment:
    item = visible_item(request, pk)
    return get_object_or_404(
        Attachment.objects.select_related("work_item"), pk=attachment_id, work_item=item
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    try:
        attach_files(request.user, item, request.FILES.getlist("files"))
    except ValidationError as error:
        return _panel(request, item, status=400, errors=error.messages)
    return _panel(request, item)


def _signed_address(field, *, inline: bool, name: str, content_type: str) -> str | None:
    """A short-lived signed address of the object in the bucket, or None to stream instead.

    Only ever called after the permission check. None when the files are local, when the
    deployment streams, or when the storage would build an unsigned (public) address.
    """
    storage = field.storage
    if not settings.ATTACHMENT_S3_REDIRECT or isinstance(storage, FileSystemStorage):
        return None
    if not getattr(storage, "querystring_auth", False) or getattr(storage, "custom_domain", None):
        return None
    parameters = {
        "ResponseContentDisposition": content_disposition_header(not inline, name),
        "ResponseContentType": content_type,
    }
    return storage.url(field.name, parameters=parameters)


def _send(
    attachment: Attachment, field, *, inline: bool, content_type: str, redirect: bool = True
) -> HttpResponse:
    if not field:
        raise Http404("This file has no such view.")
    address = redirect and _signed_address(
        field, inline=inline, name=attachment.original_name, content_type=content_type
    )
    if address:  # the bucket sends the bytes, to this person, for a minute
        response = HttpResponseRedirect(address)
        response["Cache-Control"] = "private, no-store"
        return response
    prefix = settings.ATTACHMENT_X_ACCEL_PREFIX
    if prefix and isinstance(field.storage, FileSystemStorage):
        # nginx sends the bytes from its internal location over MEDIA_ROOT
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + field.name
    else:
        try:
            handle = field.open("rb")
        except OSError:  # missing from the folder or the bucket
            raise Http404("The file is missing from storage.") from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even shown in the browser, a file can run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = _attachment(request, pk, attachment_id)
    inline = attachment.content_type in INLINE and request.GET.get("download") != "1"
    return _send(attachment, attachment.file, inline=inline, content_type=attachment.content_type)


@login_required
@require_GET
def thumbnail(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = _attachment(request, pk, attachment_id)
    # Streamed even from a bucket: the page's img-src allows only our own origin.
    return _send(
        attachment, attachment.thumbnail, inline=True, content_type="image/png", redirect=False
    )


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    attachment = _attachment(request, pk, attachment_id)
    remove_attachment(request.user, attachment)
    return _panel(request, attachment.work_item)
