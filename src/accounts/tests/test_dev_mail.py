"""While developing (`make run`, DEBUG=1) e-mail goes to files under var/mail/, not the console.

The demo assigns work to people, and every assignment sends an e-mail; printed to the console
they buried the server's own output. Production keeps the real mail server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; "
    "print(json.dumps({'mailers': settings.MAILERS, 'dir': str(settings.MAIL_DIR)}))"
)


def settings_with(tmp_path: Path, **env: str) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "obcms.settings",
        "SECRET_KEY": "x" * 50,
        "LOG_DIR": str(tmp_path / "logs"),
        "EMAIL_URL": "",
        **env,
    }
    if not env.get("EMAIL_URL"):
        environment.pop("EMAIL_URL")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=SRC,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_debug_writes_mail_to_files_under_the_repository(tmp_path):
    found = settings_with(tmp_path, DEBUG="1", MAIL_DIR=str(tmp_path / "mail"))
    mailer = found["mailers"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert mailer["OPTIONS"] == {"file_path": str(tmp_path / "mail")}


def test_the_default_mail_folder_is_var_mail_which_git_ignores(tmp_path):
    found = settings_with(tmp_path, DEBUG="1")
    assert found["dir"] == str(SRC.parent / "var" / "mail")
    assert "var/" in (SRC.parent / ".gitignore").read_text().split()


def test_production_sends_through_the_mail_server(tmp_path):
    mailer = settings_with(tmp_path, DEBUG="0")["mailers"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_a_file_mail_url_names_its_folder(tmp_path):
    folder = tmp_path / "outbox"
    found = settings_with(tmp_path, DEBUG="1", EMAIL_URL=f"filemail://{folder}")
    assert found["mailers"]["default"]["OPTIONS"] == {"file_path": str(folder)}
