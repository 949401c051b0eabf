"""What a file really is, from its bytes — never from its name or the browser's word for it.

An `.exe` renamed `.png`, an SVG or HTML page with script, an image that decompresses to
gigabytes, a ZIP that pretends to be a spreadsheet: each is refused with a sentence before
anything is stored.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

IMAGES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
ALLOWED_IN_WORDS = (
    "images (PNG, JPEG, GIF, WebP), PDF, Word, Excel, PowerPoint and OpenDocument files, "
    "plain text and CSV"
)
#: Types shown in the browser (inline); everything else is always downloaded.
INLINE = {*IMAGES.values(), "application/pdf"}
MARKUP = (b"<svg", b"<html", b"<script", b"<!doctype html", b"<?xml")


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    width: int | None = None
    height: int | None = None


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError({"files": f"“{name}”: {why}"})


def sniff(name: str, data: bytes) -> Sniffed:
    """The file's real type from its content, or a ValidationError saying why it is refused."""
    head = data[:8192]
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return _image(name, data)
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf")
    if head.startswith(b"PK\x03\x04"):
        return _archive(name, data)
    lowered = head.lstrip().lower()
    if lowered.startswith(MARKUP) or b"<script" in lowered:
        raise _refuse(
            name,
            "web pages and SVG images can carry scripts and are not accepted; "
            "export the picture as PNG or the page as PDF.",
        )
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a multi-byte character cut at the 8 KiB mark is fine
                raise _refuse(
                    name, f"this kind of file is not accepted. Allowed: {ALLOWED_IN_WORDS}."
                ) from None
        return Sniffed("text/csv" if name.lower().endswith(".csv") else "text/plain")
    raise _refuse(name, f"this kind of file is not accepted. Allowed: {ALLOWED_IN_WORDS}.")


def _image(name: str, data: bytes) -> Sniffed:
    """A real picture of a sensible size; a decompression bomb is refused before decoding."""
    limit = settings.ATTACHMENT_MAX_PIXELS
    too_big = _refuse(name, f"the picture is too large; at most {limit:,} pixels are accepted.")
    Image.MAX_IMAGE_PIXELS = limit
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                kind = image.format
                if width * height > limit:
                    raise too_big
                image.verify()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise too_big from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _refuse(name, "the picture is damaged or not really a picture.") from None
    if kind not in IMAGES:
        raise _refuse(name, f"{kind} pictures are not accepted; use PNG, JPEG, GIF or WebP.")
    return Sniffed(IMAGES[kind], width, height)


def _archive(name: str, data: bytes) -> Sniffed:
    """Office documents are ZIP files: only real ones, and none that unpack to a flood."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > settings.ATTACHMENT_MAX_BYTES * 20 or len(members) > 10_000:
                raise _refuse(name, "the document unpacks to far more than its size; refused.")
            names = {m.filename for m in members}
            if "mimetype" in names:
                kind = archive.read("mimetype").decode("ascii", "replace").strip()
                if kind in OPEN_DOCUMENT:
                    return Sniffed(kind)
            if "[Content_Types].xml" in names:
                for prefix, kind in OFFICE.items():
                    if any(n.startswith(prefix) for n in names):
                        return Sniffed(kind)
    except zipfile.BadZipFile:
        raise _refuse(name, "the document is damaged.") from None
    raise _refuse(name, f"ZIP archives are not accepted. Allowed: {ALLOWED_IN_WORDS}.")
