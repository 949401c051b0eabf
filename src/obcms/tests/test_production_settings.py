"""Production settings are secure by default and `check --deploy` passes cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
CHECKLIST_ENV = {
    "USE_WORKITEM_MODEL": "1",
    "USE_UNIFIED_CALENDAR": "1",
    "DUAL_WRITE_ENABLED": "0",
    "LEGACY_MODELS_READONLY": "1",
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "Zq9vW2xT7bN4mR8pL1sD6fH0jK5gA3cE" * 2,
    "ALLOWED_HOSTS": "yourdomain.com,www.yourdomain.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in CHECKLIST_ENV and not k.startswith(("SECURE_", "DJANGO_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SRC,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_checklists_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **CHECKLIST_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_production_server_refuses_to_start_without_a_secret_key():
    env = {**CHECKLIST_ENV, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_flags_a_cut_over_in_progress():
    env = {**CHECKLIST_ENV, "USE_WORKITEM_MODEL": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "obcms.W001" in result.stderr + result.stdout


def test_the_log_file_is_written_under_logs(tmp_path):
    env = {**CHECKLIST_ENV, "LOG_DIR": str(tmp_path / "logs")}
    result = manage(
        "shell", "-c", "import logging; logging.getLogger('obcms').warning('hello log')", **env
    )
    assert result.returncode == 0, result.stderr
    assert "hello log" in (tmp_path / "logs" / "django.log").read_text()


def test_the_favicon_address_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
