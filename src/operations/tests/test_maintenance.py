"""While a restore runs, the site answers 503 and nothing below the switch touches the database."""

import pytest

from operations.maintenance import maintenance

pytestmark = pytest.mark.django_db


def test_pages_answer_503_with_a_sentence_during_maintenance(client, cast, settings, tmp_path):
    settings.MAINTENANCE_FILE = tmp_path / "maintenance"
    client.force_login(cast.staff)
    with maintenance("Restoring the database from backup.sql."):
        page = client.get("/")
        api = client.post("/api/v1/work-items/", {"title": "x"})
        health = client.get("/health/")
    assert page.status_code == 503 and api.status_code == 503
    assert page["Retry-After"] == "120"
    assert "being restored from a backup" in page.content.decode()
    assert health.status_code != 503 or "being restored" not in health.content.decode()
    assert client.get("/").status_code == 200  # lifted afterwards
