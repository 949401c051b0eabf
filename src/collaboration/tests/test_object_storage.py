"""Files in an S3-compatible bucket: the same upload, the same permission check, the same
original name on download — against a real local S3 server (moto_server) started by the test."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import environ as django_environ
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from collaboration.models import Attachment
from common.services import delete_work_item
from obcms.storage import LOCAL_BACKEND, S3_BACKEND, default_storage

pytestmark = pytest.mark.django_db
BUCKET = "obcms-files"
SRC = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """A moto S3 server on a free port for this module; its address."""
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the local S3 server did not start")
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings):
    """An empty private bucket, configured the way settings read it from the environment."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    environ = {
        "OBCMS_S3_BUCKET": BUCKET,
        "OBCMS_S3_ENDPOINT_URL": s3_server,
        "OBCMS_S3_REGION": "us-east-1",
        "OBCMS_S3_ACCESS_KEY_ID": "testing",
        "OBCMS_S3_SECRET_ACCESS_KEY": "testing",
        "OBCMS_S3_ADDRESSING_STYLE": "path",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        storage = default_storage(django_environ.Env())
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.ATTACHMENT_MAX_BYTES = 200_000
    yield client
    for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 200)).save(out, "PNG")
    return out.getvalue()


def _upload(client, item, *files: SimpleUploadedFile) -> None:
    answer = client.post(
        f"/oobc-management/work-items/{item.pk}/conversation/files/", {"files": files}
    )
    assert answer.status_code == 200, answer.content.decode()


def _download(item, attachment: Attachment) -> str:
    return f"/oobc-management/work-items/{item.pk}/files/{attachment.pk}/"


def test_settings_choose_the_bucket_only_when_one_is_named(monkeypatch):
    monkeypatch.delenv("OBCMS_S3_BUCKET", raising=False)
    assert default_storage(django_environ.Env()) == {"BACKEND": LOCAL_BACKEND}
    monkeypatch.setenv("OBCMS_S3_BUCKET", "office-files")
    monkeypatch.setenv("OBCMS_S3_CUSTOM_DOMAIN", "files.example.org")
    chosen = default_storage(django_environ.Env())
    assert chosen["BACKEND"] == S3_BACKEND
    assert chosen["OPTIONS"]["bucket_name"] == "office-files"
    assert chosen["OPTIONS"]["custom_domain"] == "files.example.org"
    assert chosen["OPTIONS"]["default_acl"] is None  # private objects
    assert chosen["OPTIONS"]["file_overwrite"] is False


def test_a_file_uploaded_through_the_page_lands_in_the_bucket_and_comes_back_whole(
    client, cast, consultation, bucket
):
    client.force_login(cast.staff)
    text = b"Minutes of the provincial consultation\n"
    _upload(
        client,
        consultation,
        SimpleUploadedFile("minutes, final.txt", text),
        SimpleUploadedFile("site.png", _picture()),
    )
    minutes = Attachment.objects.get(original_name="minutes, final.txt")
    photo = Attachment.objects.get(original_name="site.png")
    assert {minutes.file.name, photo.file.name, photo.thumbnail.name} <= _keys(bucket)

    client.force_login(cast.viewer)
    answer = client.get(_download(consultation, minutes))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == text
    assert answer["Content-Disposition"].startswith("attachment;")
    assert "minutes, final.txt" in answer["Content-Disposition"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    picture = client.get(_download(consultation, photo))
    assert b"".join(picture.streaming_content) == _picture()
    thumb = client.get(_download(consultation, photo) + "thumbnail/")
    assert b"".join(thumb.streaming_content).startswith(b"\x89PNG")


def test_the_other_organisation_gets_not_found_and_no_address(
    client, cast, consultation, bucket, settings
):
    settings.ATTACHMENT_S3_REDIRECT = True
    client.force_login(cast.staff)
    _upload(client, consultation, SimpleUploadedFile("budget.txt", b"PHP 120,000"))
    budget = Attachment.objects.get()
    client.force_login(cast.partner_staff)
    for address in (
        _download(consultation, budget),
        _download(consultation, budget) + "?download=1",
    ):
        answer = client.get(address)
        assert answer.status_code == 404
        assert "Location" not in answer
        assert b"PHP 120,000" not in answer.content


def test_with_redirects_a_permitted_person_gets_a_short_lived_signed_address(
    client, cast, consultation, bucket, settings
):
    settings.ATTACHMENT_S3_REDIRECT = True
    client.force_login(cast.staff)
    _upload(client, consultation, SimpleUploadedFile("travel order.txt", b"Cotabato, 3 days"))
    order = Attachment.objects.get()
    client.force_login(cast.viewer)
    answer = client.get(_download(consultation, order) + "?download=1")
    assert answer.status_code == 302
    signed = answer["Location"]
    assert ("Signature" in signed and "Expires=" in signed) or "X-Amz-Expires=60" in signed
    with urllib.request.urlopen(signed, timeout=10) as fetched:
        assert fetched.read() == b"Cotabato, 3 days"
        assert "travel order.txt" in fetched.headers["Content-Disposition"]
        assert fetched.headers["Content-Disposition"].startswith("attachment;")
    unsigned = signed.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(unsigned, timeout=10)


def test_deleting_the_item_removes_its_objects(
    client, cast, consultation, bucket, django_capture_on_commit_callbacks
):
    client.force_login(cast.staff)
    _upload(client, consultation, SimpleUploadedFile("photo.png", _picture()))
    assert len(_keys(bucket)) == 2  # the picture and its thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        delete_work_item(cast.manager, consultation)
    assert _keys(bucket) == set()


def test_check_deploy_stays_clean_with_a_bucket(s3_server):
    from obcms.tests.test_production_settings import CHECKLIST_ENV, manage

    env = {
        **CHECKLIST_ENV,
        "OBCMS_S3_BUCKET": BUCKET,
        "OBCMS_S3_ENDPOINT_URL": s3_server,
        "OBCMS_S3_REDIRECT_DOWNLOADS": "1",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert os.environ.get("OBCMS_S3_BUCKET") is None  # the suite itself keeps local files
