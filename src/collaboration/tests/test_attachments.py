"""Files on items: checked by their content, stored all-or-nothing, served only to people who
may see the item, and gone with their item."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from collaboration.attachments import attach_files
from collaboration.models import Attachment, Comment
from common.services import delete_work_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATTACHMENT_MAX_BYTES = 200_000
    settings.ATTACHMENT_MAX_PIXELS = 4_000_000


def png(width=40, height=30, name="photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def upload_url(item):
    return f"/oobc-management/work-items/{item.pk}/conversation/files/"


def test_several_files_are_stored_with_thumbnails_for_pictures(client, cast, consultation):
    client.force_login(cast.staff)
    answer = client.post(upload_url(consultation), {"files": [png(), pdf()]})
    assert answer.status_code == 200
    minutes, photo = Attachment.objects.order_by("original_name")
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 40, 30)
    assert photo.thumbnail and default_storage.exists(photo.thumbnail.name)
    assert minutes.content_type == "application/pdf" and not minutes.thumbnail
    assert "minutes.pdf" in answer.content.decode() and "photo.png" in answer.content.decode()


def test_downloads_keep_the_original_name_and_never_sniff(client, cast, consultation):
    [doc] = attach_files(cast.staff, consultation, [SimpleUploadedFile("notes, v2.txt", b"Agenda")])
    [photo] = attach_files(cast.staff, consultation, [png()])
    client.force_login(cast.viewer)
    text = client.get(f"/oobc-management/work-items/{consultation.pk}/files/{doc.pk}/")
    assert text["Content-Disposition"].startswith("attachment;")
    assert "notes, v2.txt" in text["Content-Disposition"]
    assert text["X-Content-Type-Options"] == "nosniff"
    assert b"".join(text.streaming_content) == b"Agenda"
    picture = client.get(f"/oobc-management/work-items/{consultation.pk}/files/{photo.pk}/")
    assert picture["Content-Disposition"].startswith("inline;")
    assert "sandbox" in picture["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (SimpleUploadedFile("invoice.png", b"MZ\x90\x00" + b"\x00" * 200), "not accepted"),
        (
            SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
            "can carry scripts",
        ),
        (SimpleUploadedFile("page.txt", b"<html><body onload=alert(1)>"), "can carry scripts"),
        (SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20), "damaged"),
    ],
    ids=["exe-renamed-png", "svg-with-script", "html", "damaged-png"],
)
def test_disguised_or_dangerous_files_are_refused_and_nothing_is_stored(
    client, cast, consultation, upload, says
):
    client.force_login(cast.staff)
    answer = client.post(upload_url(consultation), {"files": [pdf(), upload]})
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Attachment.objects.exists()
    assert not default_storage.exists(f"attachments/{consultation.pk}")


def test_a_picture_bomb_is_refused_before_it_is_decoded(client, cast, consultation):
    client.force_login(cast.staff)
    huge = png(width=4000, height=4000, name="bomb.png")  # 16 million pixels, a small file
    answer = client.post(upload_url(consultation), {"files": [huge]})
    assert answer.status_code == 400 and "too large" in answer.content.decode()


def test_a_zip_bomb_document_is_refused(client, cast, consultation):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * 50_000_000)
    client.force_login(cast.staff)
    answer = client.post(
        upload_url(consultation), {"files": [SimpleUploadedFile("report.docx", out.getvalue())]}
    )
    assert answer.status_code == 400 and "unpacks to far more" in answer.content.decode()


def test_oversized_files_and_too_many_at_once_are_refused(client, cast, consultation, settings):
    client.force_login(cast.staff)
    big = SimpleUploadedFile("big.txt", b"x" * 200_001)
    assert (
        "at most 195 KB per file"
        in client.post(upload_url(consultation), {"files": [big]}).content.decode()
    )
    settings.ATTACHMENT_MAX_FILES_PER_UPLOAD = 2
    three = [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]
    assert (
        "At most 2 files at once"
        in client.post(upload_url(consultation), {"files": three}).content.decode()
    )
    assert not Attachment.objects.exists()


def test_another_organisation_cannot_download_by_guessing(client, cast, consultation):
    [doc] = attach_files(cast.staff, consultation, [pdf()])
    client.force_login(cast.partner_staff)
    base = f"/oobc-management/work-items/{consultation.pk}/files/{doc.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "thumbnail/").status_code == 404
    assert client.post(base + "remove/").status_code == 404
    assert client.post(upload_url(consultation), {"files": [pdf()]}).status_code == 404


def test_a_viewer_may_download_but_not_upload(client, cast, consultation):
    client.force_login(cast.viewer)
    assert client.post(upload_url(consultation), {"files": [pdf()]}).status_code == 403


def test_a_comment_carries_its_files_or_neither_is_saved(client, cast, consultation):
    client.force_login(cast.staff)
    url = f"/oobc-management/work-items/{consultation.pk}/conversation/comments/"
    bad = client.post(
        url,
        {"body": "Minutes attached", "files": [pdf(), SimpleUploadedFile("x.exe", b"MZ\x00\x00")]},
    )
    assert (
        bad.status_code == 400 and not Comment.objects.exists() and not Attachment.objects.exists()
    )
    good = client.post(url, {"body": "Minutes attached", "files": [pdf()]})
    assert good.status_code == 200
    assert Attachment.objects.get().comment == Comment.objects.get()


def test_removing_a_file_or_deleting_its_item_removes_the_bytes(
    client, cast, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [photo] = attach_files(cast.staff, consultation, [png()])
        [minutes] = attach_files(cast.staff, consultation, [pdf()])
    names = [photo.file.name, photo.thumbnail.name, minutes.file.name]
    client.force_login(cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/oobc-management/work-items/{consultation.pk}/files/{photo.pk}/remove/")
    assert not default_storage.exists(names[0]) and not default_storage.exists(names[1])
    with django_capture_on_commit_callbacks(execute=True):
        delete_work_item(cast.manager, consultation)
    assert not default_storage.exists(names[2])
    assert not Attachment.objects.exists()


def test_behind_nginx_the_application_checks_and_nginx_sends_the_bytes(
    client, cast, consultation, settings
):
    settings.ATTACHMENT_X_ACCEL_PREFIX = "/protected-media/"
    [doc] = attach_files(cast.staff, consultation, [pdf()])
    client.force_login(cast.viewer)
    answer = client.get(f"/oobc-management/work-items/{consultation.pk}/files/{doc.pk}/?download=1")
    assert answer["X-Accel-Redirect"] == f"/protected-media/{doc.file.name}"
    assert answer["Content-Disposition"].startswith("attachment;") and answer.content == b""
    client.force_login(cast.partner_staff)
    assert "X-Accel-Redirect" not in client.get(
        f"/oobc-management/work-items/{consultation.pk}/files/{doc.pk}/"
    )
