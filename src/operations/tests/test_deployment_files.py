"""The deployment files hang together: compose services, images, volumes, commands, units.

CI has no container engine, so this reads the files the way Compose and systemd would and checks
what would otherwise only fail on the server.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((REPO / "docker-compose.prod.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_has_every_service_the_checklist_and_the_product_need():
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat", "nginx", "tls"}


def test_every_service_has_an_image_or_a_build_and_app_services_share_one_image():
    for name, service in SERVICES.items():
        assert "image" in service or "build" in service, name
    app_images = {SERVICES[n]["image"] for n in ("migrate", "web", "worker", "beat")}
    assert app_images == {"obcms-work:latest"}
    assert (REPO / SERVICES["web"]["build"] / "Dockerfile").exists()


def test_dependencies_name_real_services_with_valid_conditions():
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in SERVICES.items():
        for dependency, spec in (service.get("depends_on") or {}).items():
            assert dependency in SERVICES, (name, dependency)
            assert spec["condition"] in conditions
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[dependency], (name, dependency)


def test_named_volumes_are_declared_and_static_files_are_shared_with_nginx():
    declared = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, (name, source)

    def mount(service, volume):
        return next(v.split(":")[1] for v in SERVICES[service]["volumes"] if v.startswith(volume))

    assert mount("migrate", "static:") == mount("web", "static:") == mount("nginx", "static:")


def test_the_one_shot_job_migrates_and_collects_static_files_before_the_web_starts():
    command = " ".join(SERVICES["migrate"]["command"])
    assert "migrate --noinput" in command
    assert "collectstatic --noinput" in command
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert SERVICES["migrate"]["environment"]["STATIC_ROOT"] == "/srv/obcms/staticfiles"


def test_the_web_service_scales_and_is_health_checked():
    web = SERVICES["web"]
    assert "ports" not in web and "container_name" not in web  # so --scale web=N works
    assert "obcms.wsgi:application" in web["command"]
    assert "/ready/" in " ".join(web["healthcheck"]["test"])


def test_worker_and_beat_run_celery_for_this_project():
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "obcms", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "obcms", "beat"]


def test_nginx_gets_its_config_and_proxies_to_the_web_service():
    nginx = SERVICES["nginx"]
    mounted = {v.split(":")[0] for v in nginx["volumes"]}
    assert {"./deploy/nginx.conf", "./deploy/obcms_proxy.conf"} <= mounted
    assert nginx["environment"]["OBCMS_UPSTREAM"] == "web:8000"
    config = (REPO / "deploy" / "nginx.conf").read_text()
    assert "${OBCMS_UPSTREAM}" in config
    assert "X-Forwarded-Proto" in (REPO / "deploy" / "obcms_proxy.conf").read_text()
    assert re.search(r"limit_req zone=obcms_login", config)
    assert "alias /srv/obcms/staticfiles/;" in config


def test_the_dockerfile_builds_assets_with_node_and_runs_as_a_non_root_user():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "FROM node:" in dockerfile and "npm run build" in dockerfile
    assert "pip install -r requirements/production.txt" in dockerfile
    assert "\nUSER obcms\n" in dockerfile
    assert "HEALTHCHECK" in dockerfile


def test_the_systemd_units_match_the_checklists_service_names():
    for unit in ("obcms", "celery-worker", "celery-beat"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read(REPO / "deploy" / "systemd" / f"{unit}.service")
        service = parser["Service"]
        assert service["User"] == "obcms", unit
        assert service["Restart"] == "on-failure", unit
        assert service["EnvironmentFile"] == "/etc/obcms/obcms.env", unit
        assert parser["Install"]["WantedBy"] == "multi-user.target"
    web = (REPO / "deploy" / "systemd" / "obcms.service").read_text()
    assert "granian --interface wsgi" in web


def test_a_fresh_checkout_has_every_file_the_compose_stack_mounts():
    import subprocess

    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                path = source[2:]
                assert path in tracked or any(t.startswith(path + "/") for t in tracked), (
                    name,
                    source,
                )


def test_nginx_starts_after_a_certificate_exists_in_its_volume():
    nginx, tls = SERVICES["nginx"], SERVICES["tls"]
    assert "tls:/etc/nginx/tls:ro" in nginx["volumes"]
    assert "tls:/tls" in tls["volumes"]
    assert nginx["depends_on"]["tls"]["condition"] == "service_completed_successfully"
    assert tls["restart"] == "no"
    assert "openssl" in (REPO / "Dockerfile").read_text()  # the image the job runs in has it


def test_the_first_start_writes_a_self_signed_certificate_and_keeps_a_real_one(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "TLS_DIR": str(tmp_path), "TLS_HOSTNAME": "work.example.org"}
    script = str(REPO / "deploy" / "tls-init.sh")
    subprocess.run(["sh", script], env=env, check=True, capture_output=True)
    subject = subprocess.run(
        ["openssl", "x509", "-in", str(tmp_path / "fullchain.pem"), "-noout", "-subject"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "work.example.org" in subject
    key = (tmp_path / "privkey.pem").read_bytes()
    again = subprocess.run(["sh", script], env=env, check=True, capture_output=True, text=True)
    assert "keeping it" in again.stdout
    assert (tmp_path / "privkey.pem").read_bytes() == key


def test_the_nginx_health_check_needs_only_bash_and_really_checks_the_answer():
    import http.server
    import subprocess
    import threading

    test = SERVICES["nginx"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "bash", "-c"]  # no curl or wget in the nginx image
    answers = {"body": b"ok\n"}

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/nginx-health" else 404)
            self.end_headers()
            self.wfile.write(answers["body"])

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    command = test[3].replace("127.0.0.1/80", f"127.0.0.1/{server.server_port}")
    try:
        assert subprocess.run(["bash", "-c", command], timeout=10).returncode == 0
        answers["body"] = b"502 Bad Gateway\n"
        assert subprocess.run(["bash", "-c", command], timeout=10).returncode != 0
    finally:
        server.shutdown()


def test_attached_files_are_served_by_nginx_only_after_the_application_allows_it():
    config = (REPO / "deploy" / "nginx.conf").read_text()
    internal = config.split("location /protected-media/ {", 1)[1].split("}", 1)[0]
    assert "internal;" in internal and "alias /srv/obcms/media/;" in internal
    assert "nosniff" in internal and "sandbox" in internal
    app = SERVICES["web"]["environment"]
    assert app["ATTACHMENT_X_ACCEL_PREFIX"] == "/protected-media/"
    assert app["MEDIA_ROOT"] == "/srv/obcms/media"
    assert "media:/srv/obcms/media:ro" in SERVICES["nginx"]["volumes"]
    assert "media:/srv/obcms/media" in SERVICES["web"]["volumes"]
