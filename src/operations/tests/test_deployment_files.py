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
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat", "nginx"}


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
