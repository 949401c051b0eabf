#!/usr/bin/env python
"""Run the deployment checklist's commands, in order, against a scratch PostgreSQL database.

    .venv/bin/python tools/checklist_drill.py [--postgres URL]

Steps: back up with plain `pg_dump` (checklist step 1); install requirements/production.txt into
a fresh virtualenv (step 3); `migrate` and `check --deploy` with the production variables
(step 4); `collectstatic` (step 5); start the web server from that virtualenv (step 6); the flag
script, the shell count, the calendar feed with a token over HTTP, and `curl -I` of the admin
list (step 7 and the flag verification); then `backup_database` / `restore_database` into a fresh
database, and the rollback plan's `psql < backup.sql` into another. Exits 1 on the first failed
step; prints how long each step and the whole drill took. Uses only loopback addresses.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
FLAGS_OUTPUT = """WorkItem Feature Flags Configuration
============================================================

Current Configuration:
✅ USE_WORKITEM_MODEL: True
✅ USE_UNIFIED_CALENDAR: True
✅ DUAL_WRITE_ENABLED: False
✅ LEGACY_MODELS_READONLY: True

============================================================
✅ All feature flags correctly configured for production
"""


class DrillFailed(RuntimeError):
    pass


class Drill:
    def __init__(self, admin_url: str, workdir: Path) -> None:
        self.admin_url = admin_url
        self.base = admin_url.rsplit("/", 1)[0]
        self.workdir = workdir
        self.venv = workdir / "venv"
        self.timings: list[tuple[str, float]] = []
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))},
            "USE_WORKITEM_MODEL": "1",
            "USE_UNIFIED_CALENDAR": "1",
            "DUAL_WRITE_ENABLED": "0",
            "LEGACY_MODELS_READONLY": "1",
            "DATABASE_URL": f"{self.base}/obcms_drill",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "yourdomain.com,www.yourdomain.com",
            "STATIC_ROOT": str(workdir / "staticfiles"),
            "LOG_DIR": str(workdir / "logs"),
            "BACKUP_DIR": str(workdir / "backups"),
            "REDIS_URL": "",
            "EMAIL_URL": "smtp://localhost:25",
        }
        self.env.pop("PYTHONPATH", None)

    # --- helpers ---------------------------------------------------------------------------
    def step(self, name: str, action) -> None:
        started = time.perf_counter()
        print(f"→ {name}", flush=True)
        try:
            action()
        except DrillFailed as error:
            raise DrillFailed(f"{name}: {error}") from None
        self.timings.append((name, time.perf_counter() - started))

    def run(self, *command: str, cwd: Path = SRC, env: dict | None = None, stdin=None) -> str:
        result = subprocess.run(
            list(command),
            cwd=cwd,
            env=env or self.env,
            text=True,
            capture_output=True,
            stdin=stdin,
            timeout=900,
        )
        if result.returncode != 0:
            raise DrillFailed(
                f"`{' '.join(command)}` exited {result.returncode}: "
                f"{(result.stderr or result.stdout).strip()[-800:]}"
            )
        return result.stdout

    def python(self, *args: str) -> str:
        return self.run(str(self.venv / "bin" / "python"), *args)

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def pg_env(self) -> dict[str, str]:
        from urllib.parse import urlparse

        url = urlparse(self.admin_url)
        return {
            **os.environ,
            "PGHOST": url.hostname or "127.0.0.1",
            "PGPORT": str(url.port or 5432),
            "PGUSER": url.username or "postgres",
        }

    # --- the checklist ------------------------------------------------------------------------
    def fresh_databases(self) -> None:
        for name in ("obcms_drill", "obcms_drill_restore", "obcms_drill_rollback"):
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin("CREATE DATABASE obcms_drill")

    def plain_backup(self) -> None:
        stamp = time.strftime("%Y%m%d")
        target = self.workdir / f"backup_workitem_deployment_{stamp}.sql"
        with target.open("w") as handle:
            result = subprocess.run(
                ["pg_dump", "obcms_drill"],
                env=self.pg_env(),
                stdout=handle,
                stderr=subprocess.PIPE,
                text=True,
            )
        if result.returncode != 0:
            raise DrillFailed(result.stderr.strip())
        self.plain_dump = target

    def install(self) -> None:
        self.run(sys.executable, "-m", "venv", str(self.venv), cwd=REPO)
        self.run(
            str(self.venv / "bin" / "pip"),
            "install",
            "--quiet",
            "-r",
            "requirements/production.txt",
            cwd=REPO,
        )
        self.run(str(self.venv / "bin" / "pip"), "check", cwd=REPO)
        installed = self.run(str(self.venv / "bin" / "pip"), "freeze", cwd=REPO).lower()
        for absent in ("pytest", "playwright", "ruff", "hypothesis"):
            if absent in installed:
                raise DrillFailed(f"{absent} must not be in the production requirements")

    def migrate(self) -> None:
        self.python("manage.py", "migrate")

    def check_deploy(self) -> None:
        out = self.python("manage.py", "check", "--deploy", "--fail-level", "WARNING")
        if "no issues" not in out:
            raise DrillFailed(out)

    def collectstatic(self) -> None:
        if not (SRC / "static" / "build" / "app.css").exists():
            raise DrillFailed("front-end assets are not built (npm run build)")
        self.python("manage.py", "collectstatic", "--noinput")

    def start_server(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = subprocess.Popen(
            [
                str(self.venv / "bin" / "granian"),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--no-ws",
                "obcms.wsgi:application",
            ],
            cwd=SRC,
            env={**self.env, "ALLOWED_HOSTS": "yourdomain.com,127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ready/", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise DrillFailed("the web server did not become ready")

    def flag_script(self) -> None:
        out = self.python("scripts/test_feature_flags.py")
        if out != FLAGS_OUTPUT:
            raise DrillFailed(f"unexpected output:\n{out}")

    def shell_count(self) -> None:
        self.python("manage.py", "seed_demo")
        out = self.python(
            "manage.py",
            "shell",
            "-c",
            "from common.models import WorkItem; print(f'WorkItems: {WorkItem.objects.count()}')",
        )
        if not out.strip().startswith("WorkItems: ") or out.strip() == "WorkItems: 0":
            raise DrillFailed(out)
        self.count = int(out.strip().split(": ")[1])

    def feed(self) -> None:
        self.python("manage.py", "ensure_admin")
        token = self.python("manage.py", "create_api_token", "admin").strip()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/oobc-management/calendar/work-items/feed/",
            headers={
                "Authorization": f"Token {token}",
                "X-Forwarded-Proto": "https",
                "Host": "yourdomain.com",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            events = json.loads(response.read())
        if not isinstance(events, list) or not events:
            raise DrillFailed(f"expected a non-empty JSON array, got {str(events)[:200]}")
        print(json.dumps(events[:2], indent=2, ensure_ascii=False)[:1500])

    def admin_page(self) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/admin/common/workitem/",
            method="HEAD",
            headers={"X-Forwarded-Proto": "https", "Host": "yourdomain.com"},
        )

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=30)
            raise DrillFailed("the admin list answered without asking for a sign-in")
        except urllib.error.HTTPError as answer:
            if answer.code != 302 or "/admin/login/" not in answer.headers["Location"]:
                location = answer.headers.get("Location")
                raise DrillFailed(f"HEAD answered {answer.code} {location}") from None

    def backup_and_restore(self) -> None:
        out = self.python("manage.py", "backup_database")
        dump = Path(out.split()[0])
        self.admin("CREATE DATABASE obcms_drill_restore")
        env = {**self.env, "DATABASE_URL": f"{self.base}/obcms_drill_restore"}
        self.run(
            str(self.venv / "bin" / "python"), "manage.py", "restore_database", str(dump), env=env
        )
        out = self.run(
            str(self.venv / "bin" / "python"),
            "manage.py",
            "shell",
            "-c",
            "from common.models import WorkItem; print(WorkItem.objects.count())",
            env=env,
        )
        if int(out.strip()) != self.count:
            raise DrillFailed(f"restored {out.strip()} items, expected {self.count}")

    def rollback_plan(self) -> None:
        self.admin("CREATE DATABASE obcms_drill_rollback")
        with self.plain_dump.open() as handle:
            result = subprocess.run(
                ["psql", "--set", "ON_ERROR_STOP=1", "--quiet", "obcms_drill_rollback"],
                env=self.pg_env(),
                stdin=handle,
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            raise DrillFailed(result.stderr.strip()[-500:])

    def stop(self) -> None:
        server = getattr(self, "server", None)
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        for name in ("obcms_drill", "obcms_drill_restore", "obcms_drill_rollback"):
            with contextlib.suppress(Exception):
                self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="obcms-drill-"))
    drill = Drill(args.postgres, workdir)
    started = time.perf_counter()
    try:
        drill.step("prepare an empty PostgreSQL database", drill.fresh_databases)
        drill.step("1. pg_dump obcms > backup_workitem_deployment_YYYYMMDD.sql", drill.plain_backup)
        drill.step("3. pip install -r requirements/production.txt (fresh venv)", drill.install)
        drill.step("4. python manage.py migrate", drill.migrate)
        drill.step("4. python manage.py check --deploy", drill.check_deploy)
        drill.step("5. python manage.py collectstatic --noinput", drill.collectstatic)
        drill.step("6. start the web server (granian)", drill.start_server)
        drill.step("flags: python scripts/test_feature_flags.py", drill.flag_script)
        drill.step("7. shell: WorkItem count", drill.shell_count)
        drill.step("7. calendar feed with a token", drill.feed)
        drill.step("7. curl -I /admin/common/workitem/", drill.admin_page)
        drill.step("backup_database → restore_database (fresh database)", drill.backup_and_restore)
        drill.step("rollback: psql < backup_workitem_deployment_YYYYMMDD.sql", drill.rollback_plan)
    except DrillFailed as error:
        print(f"✗ drill failed at {error}")
        return 1
    finally:
        drill.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    total = time.perf_counter() - started
    print("\n| step | seconds |\n|---|---:|")
    for name, seconds in drill.timings:
        print(f"| {name} | {seconds:.1f} |")
    print(f"\nChecklist drill passed: {len(drill.timings)} steps in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
