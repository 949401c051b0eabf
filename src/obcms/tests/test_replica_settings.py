"""DATABASE_REPLICA_URLS: each URL becomes a `replica_N` alias; none, or SQLite, changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from obcms.replicas.router import ReplicaRouter
from obcms.replicas.scope import replica_reads

SRC = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'aliases': sorted(s.DATABASES), 'replicas': s.DATABASE_REPLICAS, "
    "'replica_0': s.DATABASES.get('replica_0'), 'routers': s.DATABASE_ROUTERS}, default=str))"
)


def settings_with(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REPLICA"))}
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "obcms.settings", "SECRET_KEY": "s" * 50, "REDIS_URL": ""},
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=SRC, env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_each_replica_url_becomes_an_alias_that_tests_mirror_to_the_primary():
    shown = settings_with(
        DATABASE_URL="postgresql://obcms@db:5432/obcms",
        DATABASE_REPLICA_URLS="postgresql://obcms@replica1:5432/obcms, postgresql://obcms@replica2/obcms",
    )
    assert shown["replicas"] == ["replica_0", "replica_1"]
    replica = shown["replica_0"]
    assert replica["HOST"] == "replica1"
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert shown["routers"][0] == "legacy.router.LegacyRouter"


def test_no_replicas_by_default_and_never_with_sqlite():
    assert settings_with(DATABASE_URL="postgresql://obcms@db/obcms")["replicas"] == []
    sqlite = settings_with(
        DATABASE_URL="sqlite:///:memory:", DATABASE_REPLICA_URLS="postgresql://obcms@r/obcms"
    )
    assert sqlite["replicas"] == []
    assert sqlite["aliases"] == ["default", "legacy"]


def test_without_replicas_the_router_has_no_opinion(settings):
    settings.DATABASE_REPLICAS = []
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(object) is None
    assert router.db_for_write(object) is None
    assert router.allow_migrate("default", "common") is None


def test_nothing_is_ever_migrated_on_a_replica(settings):
    settings.DATABASE_REPLICAS = ["replica_0"]
    assert ReplicaRouter().allow_migrate("replica_0", "common") is False
    assert ReplicaRouter().allow_migrate("default", "common") is None


def test_replicas_without_a_shared_cache_are_warned_about(settings):
    from obcms.checks import check_replicas_have_a_shared_cache

    settings.DATABASE_REPLICAS = ["replica_0"]
    settings.REDIS_URL = ""
    assert [w.id for w in check_replicas_have_a_shared_cache()] == ["obcms.W002"]
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert check_replicas_have_a_shared_cache() == []
    settings.DATABASE_REPLICAS = []
    settings.REDIS_URL = ""
    assert check_replicas_have_a_shared_cache() == []
