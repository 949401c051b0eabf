"""Settings for the test suite: the real settings with a throwaway key and fast hashing.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile

# Set before the settings read `.env`, so a developer's local file cannot change test behaviour.
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("REDIS_URL", "")
# Replicas are started by the tests that need one (obcms/tests/test_read_replicas.py).
os.environ.setdefault("DATABASE_REPLICA_URLS", "")

from .settings import *  # noqa: F403

# Files attached during the suite go to a folder of its own, never the repository's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="obcms-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The old OBCMS database is a separate database in the suite (a copy of production is the usual
# case); tests build its tables from the legacy schema. Connections stay writable so fixtures can
# fill it; the connection-level read-only guard has its own test in a separate process.
if not os.environ.get("LEGACY_DATABASE_URL"):
    DATABASES["legacy"] = {  # noqa: F405
        **DATABASES["default"],  # noqa: F405
        "NAME": (
            ":memory:"
            if DATABASES["default"]["ENGINE"].endswith("sqlite3")  # noqa: F405
            else DATABASES["default"]["NAME"] + "_legacy"  # noqa: F405
        ),
        "TEST": {},
    }
LEGACY_READONLY_CONNECTION = False
