#!/usr/bin/env python
"""Run the deployment checklist's code blocks, as written, against a scratch deployment.

    .venv/bin/python tools/checklist_drill.py [--postgres URL]

Each checklist line runs in bash exactly as the checklist prints it, with two substitutions a
machine cannot avoid: the database `obcms_prod` is the scratch database `obcms_drill`, and the
placeholder `YYYYMMDD` is today's date. Everything else is real: `yourdomain.com` reaches the
drill's own web server over HTTPS (a `.curlrc` maps it to 127.0.0.1 and trusts the drill's
self-signed certificate, so `curl https://yourdomain.com/…` runs unchanged), `git pull` and
`git push` talk to a local bare copy of this repository, and "restart" restarts the server the
`obcms` systemd unit describes. The rollback plan runs last: its literal `psql obcms_prod < …`
is shown to restore nothing into the live database (the data is compared), then
`manage.py rollback_deployment` restores exactly the backed-up rows.

Exits 1 on the first step that does not do what the checklist expects; prints every step's
result and time. Uses only loopback addresses.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
DB = "obcms_drill"
DOMAIN = "yourdomain.com"
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
#: A fingerprint of what people see: every work item's title, status and version, in order.
FINGERPRINT = (
    "SELECT count(*) || ':' || coalesce(md5(string_agg(id || title || status || version, ',' "
    "ORDER BY id)), '') FROM common_workitem"
)


class DrillFailed(RuntimeError):
    pass


def unit_command(unit: Path) -> list[str]:
    """A systemd unit's ExecStart as an argument list, its Environment= values filled in."""
    text = unit.read_text().replace("\\\n", " ")
    values = {}
    command = ""
    for line in text.splitlines():
        if line.startswith("Environment=") and "=" in line[12:]:
            name, _, value = line[12:].partition("=")
            values[name] = value
        elif line.startswith("ExecStart="):
            command = line[10:]
    for name, value in values.items():
        command = command.replace("${" + name + "}", value)
    return shlex.split(command)


class Drill:
    def __init__(self, admin_url: str, workdir: Path) -> None:
        self.admin_url = admin_url
        self.base = admin_url.rsplit("/", 1)[0]
        self.workdir = workdir
        self.clone = workdir / "obcms"
        self.venv = workdir / "venv"
        self.today = time.strftime("%Y%m%d")
        self.timings: list[tuple[str, float, str]] = []
        url = urlparse(admin_url)
        home = workdir / "home"
        home.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))},
            "PATH": f"{self.venv / 'bin'}:{os.environ['PATH']}",
            "HOME": str(home),
            "PGHOST": url.hostname or "127.0.0.1",
            "PGPORT": str(url.port or 5432),
            "PGUSER": url.username or "postgres",
            "USE_WORKITEM_MODEL": "1",
            "USE_UNIFIED_CALENDAR": "1",
            "DUAL_WRITE_ENABLED": "0",
            "LEGACY_MODELS_READONLY": "1",
            "DATABASE_URL": f"{self.base}/{DB}",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{DOMAIN},www.{DOMAIN}",
            "STATIC_ROOT": str(workdir / "staticfiles"),
            "BACKUP_DIR": str(workdir / "backups"),
            "MAINTENANCE_FILE": str(workdir / "maintenance"),
            "REDIS_URL": "",
            "EMAIL_URL": "smtp://localhost:25",
        }
        for name in ("PYTHONPATH", "LOG_DIR", "TEST_RESULTS_DIR", "LEGACY_DATABASE_URL"):
            self.env.pop(name, None)
        self.server: subprocess.Popen | None = None

    # --- helpers ---------------------------------------------------------------------------
    def step(self, name: str, action) -> None:
        started = time.perf_counter()
        print(f"→ {name}", flush=True)
        try:
            result = action() or ""
        except DrillFailed as error:
            raise DrillFailed(f"{name}: {error}") from None
        seconds = time.perf_counter() - started
        if result:
            print(f"  {result}", flush=True)
        self.timings.append((name, seconds, result))

    def sh(self, line: str, *, cwd: Path | None = None, ok=(0,), timeout: int = 900) -> str:
        """Run one checklist line in bash, as written (after the two named substitutions)."""
        literal = line.replace("obcms_prod", DB).replace("YYYYMMDD", self.today)
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", literal],
            cwd=cwd or self.clone,
            env=self.env,
            text=True,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode not in ok:
            raise DrillFailed(
                f"`{literal}` exited {result.returncode}: "
                f"{(result.stderr or result.stdout).strip()[-800:]}"
            )
        self.last_stderr = result.stderr
        return result.stdout

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def fingerprint(self) -> str:
        import psycopg

        with psycopg.connect(f"{self.base}/{DB}") as conn:
            return conn.execute(FINGERPRINT).fetchone()[0]

    # --- before the checklist: the office as it runs today --------------------------------
    def prepare(self) -> str:
        for name in (DB,):
            self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin(f"CREATE DATABASE {DB}")
        origin = self.workdir / "origin.git"
        subprocess.run(["git", "clone", "--quiet", "--bare", str(REPO), str(origin)], check=True)
        subprocess.run(["git", "clone", "--quiet", str(origin), str(self.clone)], check=True)
        for name in ("user.email", "user.name"):
            subprocess.run(["git", "config", name, "drill@localhost"], cwd=self.clone, check=True)
        build = REPO / "src" / "static" / "build"
        if not (build / "app.css").exists():
            raise DrillFailed("front-end assets are not built (npm run build)")
        shutil.copytree(build, self.clone / "src" / "static" / "build")
        subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
        # The running office: its schema and data, before this deployment.
        self.sh("pip install --quiet -r requirements/production.txt")
        self.sh("cd src && python manage.py migrate --noinput && python manage.py seed_demo")
        self.before_deploy = self.fingerprint()
        return f"{DB} holds the office's data ({self.before_deploy.split(':')[0]} work items)"

    # --- the checklist ----------------------------------------------------------------------
    def backup(self) -> str:
        self.sh("pg_dump obcms_prod > backup_workitem_deployment_$(date +%Y%m%d).sql")
        self.dump = self.clone / f"backup_workitem_deployment_{self.today}.sql"
        sqlite_src = self.clone / "src" / "db.sqlite3"
        subprocess.run(
            [str(self.venv / "bin" / "python"), "manage.py", "migrate", "--noinput"],
            cwd=self.clone / "src",
            env={**self.env, "DATABASE_URL": f"sqlite:///{sqlite_src}"},
            check=True,
            capture_output=True,
        )
        self.sh("cp src/db.sqlite3 src/db.sqlite3.backup.$(date +%Y%m%d)")
        copy = self.clone / "src" / f"db.sqlite3.backup.{self.today}"
        return f"{self.dump.name} {self.dump.stat().st_size:,} bytes; {copy.name} written"

    def pull(self) -> str:
        return self.sh("git pull origin main").strip().splitlines()[-1]

    def install(self) -> str:
        self.sh("pip install -r requirements/production.txt")
        self.sh("pip check")
        installed = self.sh("pip freeze").lower()
        for absent in ("pytest", "playwright", "ruff", "hypothesis"):
            if absent in installed:
                raise DrillFailed(f"{absent} must not be in the production requirements")
        return "production requirements installed, pip check clean"

    def migrate(self) -> str:
        out = self.sh("cd src\npython manage.py migrate\npython manage.py check --deploy")
        if "System check identified no issues" not in out:
            raise DrillFailed(out)
        return "migrated; check --deploy: no issues"

    def collectstatic(self) -> str:
        return self.sh("cd src && python manage.py collectstatic --noinput").strip()

    def start_server(self) -> str:
        """What `sudo systemctl restart obcms` runs: the unit's own ExecStart, plus TLS (which
        nginx adds on a server) on a free port."""
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
        tls = self.workdir / "tls"
        if not (tls / "fullchain.pem").exists():
            subprocess.run(
                ["sh", str(REPO / "deploy" / "tls-init.sh")],
                env={**self.env, "TLS_DIR": str(tls), "TLS_HOSTNAME": DOMAIN},
                check=True,
                capture_output=True,
            )
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            (self.workdir / "home" / ".curlrc").write_text(
                f"connect-to = {DOMAIN}:443:127.0.0.1:{self.port}\n"
                f'cacert = "{tls / "fullchain.pem"}"\nsilent\nshow-error\n'
            )
        command = unit_command(REPO / "deploy" / "systemd" / "obcms.service")
        command[0] = str(self.venv / "bin" / "granian")
        command[command.index("--port") + 1] = str(self.port)
        command += [
            "--ssl-certificate",
            str(tls / "fullchain.pem"),
            "--ssl-keyfile",
            str(tls / "privkey.pem"),
        ]
        self.server = subprocess.Popen(
            command,
            cwd=self.clone / "src",
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.sh(f"curl -fsS -o /dev/null https://{DOMAIN}/ready/")
                return f"granian as in deploy/systemd/obcms.service, HTTPS on 127.0.0.1:{self.port}"
            except DrillFailed:
                time.sleep(0.3)
        raise DrillFailed("the web server did not become ready")

    def flag_script(self) -> str:
        out = self.sh("cd src\npython scripts/test_feature_flags.py")
        if out != FLAGS_OUTPUT:
            raise DrillFailed(f"unexpected output:\n{out}")
        return "output exactly as the checklist shows"

    def shell_count(self) -> str:
        out = self.sh(
            'cd src\npython manage.py shell -c "from common.models import WorkItem; '
            "print(f'WorkItems: {WorkItem.objects.count()}')\""
        ).strip()
        if not out.startswith("WorkItems: ") or out == "WorkItems: 0":
            raise DrillFailed(out)
        return out

    def feed_without_token(self) -> str:
        # The checklist's line as written: private feed, so a 401 whose one-line JSON array
        # jq prints, telling the person how to send a token.
        out = self.sh(
            f"curl https://{DOMAIN}/oobc-management/calendar/work-items/feed/ | jq '.[:2]'"
        )
        if "Authorization: Token" not in out:
            raise DrillFailed(f"the 401 does not say how to send a token: {out[:300]}")
        return out.strip().splitlines()[1].strip()[:120]

    def feed_with_token(self) -> str:
        self.sh("cd src && python manage.py ensure_admin")
        token = self.sh("cd src && python manage.py create_api_token admin").strip()
        self.env["TOKEN"] = token
        out = self.sh(
            'curl -H "Authorization: Token $TOKEN" '
            f"https://{DOMAIN}/oobc-management/calendar/work-items/feed/ | jq '.[:2]'"
        )
        count = self.sh(
            'curl -H "Authorization: Token $TOKEN" '
            f"https://{DOMAIN}/oobc-management/calendar/work-items/feed/ | jq length"
        ).strip()
        if not out.lstrip().startswith("[") or '"title"' not in out or count in ("", "0"):
            raise DrillFailed(f"expected events, got {out[:300]}")
        return f"{count} events; the first two printed by jq"

    def admin_page(self) -> str:
        out = self.sh(f"curl -I https://{DOMAIN}/admin/common/workitem/")
        status = out.splitlines()[0].strip()
        if " 302" not in status or "/admin/login/" not in out:
            raise DrillFailed(f"expected a redirect to the admin sign-in, got {out[:300]}")
        return status

    def logs(self) -> str:
        out = self.sh("cd src && timeout 2 tail -f logs/django.log", ok=(124,))
        if "GET /oobc-management/calendar/work-items/feed/" not in out:
            raise DrillFailed("logs/django.log under src/ does not show the requests")
        return f"{len(out.splitlines())} lines, the feed requests among them"

    def deployment_check(self) -> str:
        out = self.sh("cd src && python manage.py deployment_check", ok=(0, 1))
        for line in out.splitlines():
            if line.startswith(("✅", "⚠️", "❌")):
                print(f"    {line}")
        if "✅ Calendar integration" not in out:
            raise DrillFailed("the live feed self-check did not pass")
        return "printed above (no legacy database in the drill, so not every item can pass)"

    # --- the rollback plan ----------------------------------------------------------------
    def work_after_deploy(self) -> str:
        self.sh(
            'cd src && python manage.py shell -c "from common.models import WorkItem as W; '
            "W.objects.filter(pk__in=W.objects.order_by('pk').values('pk')[:5])"
            ".update(title='Changed after the deployment')\""
        )
        self.after_deploy = self.fingerprint()
        if self.after_deploy == self.before_deploy:
            raise DrillFailed("the rows did not change")
        return "5 items renamed after the deployment"

    def literal_psql_restore(self) -> str:
        self.sh("psql obcms_prod < backup_workitem_deployment_YYYYMMDD.sql")
        errors = self.last_stderr.count("ERROR:")
        now = self.fingerprint()
        if now == self.before_deploy:
            raise DrillFailed("the literal psql line restored the data after all")
        if now != self.after_deploy:
            raise DrillFailed("the literal psql line changed the data unexpectedly")
        return f"exit 0 with {errors} errors, and the data is unchanged: it restored nothing"

    def safe_rollback(self) -> str:
        started = time.perf_counter()
        out = self.sh(
            "cd src && python manage.py rollback_deployment "
            "../backup_workitem_deployment_YYYYMMDD.sql --yes"
        )
        if self.fingerprint() != self.before_deploy:
            raise DrillFailed("rollback_deployment did not restore the backed-up rows")
        self.rollback_seconds = time.perf_counter() - started
        return next(line for line in out.splitlines() if line.startswith("✅"))

    def revert(self) -> str:
        (self.clone / "DEPLOYED").write_text("the change being rolled back\n")
        subprocess.run(["git", "add", "DEPLOYED"], cwd=self.clone, check=True)
        subprocess.run(
            ["git", "commit", "--quiet", "-m", "Deployed change"], cwd=self.clone, check=True
        )
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=self.clone,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        self.sh(f"git revert --no-edit {commit}\ngit push origin main")
        if (self.clone / "DEPLOYED").exists():
            raise DrillFailed("the revert did not remove the change")
        return f"reverted {commit} and pushed"

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.server.wait(timeout=20)
        with contextlib.suppress(Exception):
            self.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    for tool in ("pg_dump", "psql", "curl", "jq", "git"):
        if not shutil.which(tool):
            print(f"✗ drill needs {tool} (make test installs it)")
            return 1
    workdir = Path(tempfile.mkdtemp(prefix="obcms-drill-"))
    drill = Drill(args.postgres, workdir)
    started = time.perf_counter()
    steps = [
        ("before: the office running on the previous version", drill.prepare),
        ("1. pg_dump obcms_prod > backup_…sql; cp src/db.sqlite3 …", drill.backup),
        ("2. git pull origin main", drill.pull),
        ("3. pip install -r requirements/production.txt", drill.install),
        ("4. cd src; migrate; check --deploy", drill.migrate),
        ("5. collectstatic --noinput", drill.collectstatic),
        ("6. sudo systemctl restart obcms (the unit's ExecStart)", drill.start_server),
        ("7. shell: WorkItem count", drill.shell_count),
        ("7. curl …/feed/ | jq '.[:2]' (as written)", drill.feed_without_token),
        ("7. curl -H 'Authorization: Token $TOKEN' …/feed/ | jq '.[:2]'", drill.feed_with_token),
        ("7. curl -I …/admin/common/workitem/", drill.admin_page),
        ("monitor: tail -f logs/django.log (from src/)", drill.logs),
        ("flags: python scripts/test_feature_flags.py", drill.flag_script),
        ("pre-deployment: python manage.py deployment_check", drill.deployment_check),
        ("rollback: people work after the deployment", drill.work_after_deploy),
        ("rollback 1, as written: psql obcms_prod < backup_…sql", drill.literal_psql_restore),
        ("rollback 1, safely: manage.py rollback_deployment backup_…sql", drill.safe_rollback),
        ("rollback 2. git revert <commit-hash>; git push origin main", drill.revert),
        ("rollback 3. sudo systemctl restart obcms", drill.start_server),
    ]
    try:
        for name, action in steps:
            drill.step(name, action)
    except DrillFailed as error:
        print(f"✗ drill failed at {error}")
        return 1
    finally:
        drill.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    total = time.perf_counter() - started
    print("\n| step | seconds | result |\n|---|---:|---|")
    for name, seconds, result in drill.timings:
        print(f"| {name} | {seconds:.1f} | {result.replace('|', '/')[:110]} |")
    rollback = sum(
        s for n, s, _ in drill.timings if n.startswith("rollback ") and "as written" not in n
    )
    print(
        f"\nChecklist drill passed: {len(drill.timings)} steps in {total:.1f} s; the rollback plan "
        f"(safe restore, revert, restart) took {rollback:.1f} s (the checklist allows ~10 minutes)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
