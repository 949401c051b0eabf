"""Settings for OBCMS Work, read from the environment (and a `.env` file beside the repo root).

Every variable is documented in `.env.example`. Defaults are safe for production: DEBUG is off
unless asked for, and a production server refuses to start without a SECRET_KEY.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from obcms.storage import default_storage

SRC_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = SRC_DIR.parent

env = environ.Env()
# Real environment variables win over the file, so systemd/compose settings are authoritative.
environ.Env.read_env(REPO_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG=0.")
    # Development only: a per-process key, so nothing secret is ever written to the repo.
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Loopback names are always accepted, so health probes from the same host or container (which
# send Host: 127.0.0.1) are answered; public names come from the environment.
ALLOWED_HOSTS += [h for h in ("127.0.0.1", "localhost") if h not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "obcms.apps.ObcmsConfig",
    "simple_history",
    "accounts",
    "common",
    "collaboration",
    "integrations",
    "notifications",
    "operations",
    "planning",
    "insights",
    "legacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "operations.maintenance.MaintenanceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.timezones.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.views.errors.FriendlyNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.htmx_sign_in.HtmxSignInRedirectMiddleware",
    "accounts.access.RoleRequiredMiddleware",
    "planning.default_views.DefaultViewMiddleware",
    "operations.middleware.RequestTimingMiddleware",
    # Innermost, so the read-only scope covers just the view and a failed replica read can be
    # retried on the primary (process_exception runs first); see obcms/replicas/.
    "obcms.replicas.middleware.ReplicaReadMiddleware",
]

ROOT_URLCONF = "obcms.urls"
WSGI_APPLICATION = "obcms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_count",
                "common.context_processors.cut_over",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SRC_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, which is what keeps concurrent tree moves safe
    # on SQLite (PostgreSQL uses row locks instead); WAL lets readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Planner settings for this application's own PostgreSQL sessions (docs/performance.md). With
# PostgreSQL's default random_page_cost of 4 (priced for spinning disks) My work at a million
# items reads the whole table instead of its few thousand rows by primary key (427 ms against
# 81 ms); 1.1 suits SSDs and databases that fit in memory. JIT compilation cost more than it
# saved on every hot query measured (7.3 ms of a 10.4 ms feed statement). Empty values leave
# the server's own settings.
POSTGRES_SESSION_SETTINGS = {
    "random_page_cost": env.str("POSTGRES_RANDOM_PAGE_COST", default="1.1"),
    "jit": env.str("POSTGRES_JIT", default="off"),
}
if POSTGRES_SESSION_SETTINGS["random_page_cost"]:
    try:
        float(POSTGRES_SESSION_SETTINGS["random_page_cost"])
    except ValueError:
        raise ImproperlyConfigured("POSTGRES_RANDOM_PAGE_COST must be a number, e.g. 1.1") from None
if POSTGRES_SESSION_SETTINGS["jit"] not in ("", "on", "off"):
    raise ImproperlyConfigured("POSTGRES_JIT must be on, off or empty")
_POSTGRES_OPTIONS = " ".join(
    f"-c {name}={value}" for name, value in POSTGRES_SESSION_SETTINGS.items() if value
)


def _our_postgres_connections(database: dict) -> None:
    """Connections to `database` ask PostgreSQL for POSTGRES_SESSION_SETTINGS.

    The backend is Django's own with a health check that looks at the idle socket before it
    spends a round trip on `SELECT 1` (obcms.postgresql.base).
    """
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "obcms.postgresql"
    if "postgresql" in database["ENGINE"] and _POSTGRES_OPTIONS:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} {_POSTGRES_OPTIONS}".strip()


_our_postgres_connections(DATABASES["default"])
# The old OBCMS database the cut-over reads (`legacy` app). Default: our own database, where the
# legacy tables may live beside ours; a separate copy is named by LEGACY_DATABASE_URL.
_legacy_url = env.str("LEGACY_DATABASE_URL", default="")
DATABASES["legacy"] = (
    env.db_url_config(_legacy_url)
    if _legacy_url
    else {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
)
if DATABASES["legacy"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["legacy"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
# Read replicas (PostgreSQL streaming standbys), one database URL each, comma-separated. They
# answer the read-only pages and API lists named in REPLICA_READ_VIEWS (obcms.replicas); every
# write, every transaction and everyone who wrote within REPLICA_STICKY_SECONDS stays on the
# primary. A replica that is down or more than REPLICA_MAX_LAG_SECONDS behind is skipped.
# SQLite never has replicas: the setting is ignored with it.
DATABASE_REPLICAS: list[str] = []
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    _replica_urls = [
        u.strip() for u in env.str("DATABASE_REPLICA_URLS", default="").split(",") if u.strip()
    ]
    for _number, _url in enumerate(_replica_urls):
        _replica = env.db_url_config(_url)
        _replica.setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
        _replica.setdefault("CONN_HEALTH_CHECKS", True)
        # A replica host that does not answer must not hold a request for long.
        _replica.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("REPLICA_CONNECT_TIMEOUT", default=2)
        )
        _our_postgres_connections(_replica)
        # The test suite never creates a database on a replica: it reads the primary's.
        _replica["TEST"] = {"MIRROR": "default"}
        DATABASES[f"replica_{_number}"] = _replica
        DATABASE_REPLICAS.append(f"replica_{_number}")
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=10.0)
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=15)
# How long one process trusts a replica's health (or its being down) before asking again.
REPLICA_HEALTH_SECONDS = env.float("REPLICA_HEALTH_SECONDS", default=5.0)
# The read-only hot paths (URL names, GET and HEAD only) that may read from a replica.
REPLICA_READ_VIEWS = env.list(
    "REPLICA_READ_VIEWS",
    default=[
        "calendar:feed",
        "calendar:ics",
        "common:tree",
        "common:children",
        "common:detail",
        "insights:portfolio",
        "insights:workload",
        "insights:budget",
        "insights:progress",
        "insights:items",
        "workitem-list",
        "team-list",
        "user-list",
        "notification-list",
        "subscription-list",
    ],
)
DATABASE_ROUTERS = ["legacy.router.LegacyRouter", "obcms.replicas.router.ReplicaRouter"]
# Processes that stage the old rows side by side during a migration (1: this process alone).
LEGACY_STAGING_PROCESSES = env.int("LEGACY_STAGING_PROCESSES", default=2)

# Open connections to the legacy database read-only while LEGACY_MODELS_READONLY is on.
LEGACY_READONLY_CONNECTION = env.bool("LEGACY_READONLY_CONNECTION", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several installations may share one Redis; each keeps to its own keys.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="obcms"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The signed-in person and their permission set are kept in the cache (accounts.permission_cache)
# when the cache is shared by every process (Redis); 0 asks the database on every request.
AUTHENTICATION_BACKENDS = ["accounts.permission_cache.CachedPermissionsBackend"]
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=900 if REDIS_URL else 0)
# Sessions are read from the shared cache (falling back to the database) when there is one.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# Sign-in throttling (accounts.throttle): wrong passwords allowed per user name and per client
# address within the window before sign-in is refused for SIGNIN_LOCKOUT_MINUTES.
SIGNIN_FAILURES_PER_ACCOUNT = env.int("SIGNIN_FAILURES_PER_ACCOUNT", default=5)
SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=20)
SIGNIN_FAILURE_WINDOW_MINUTES = env.int("SIGNIN_FAILURE_WINDOW_MINUTES", default=15)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
# Days an e-mailed invitation link works (accounts.invitations); password reset links work for
# PASSWORD_RESET_TIMEOUT seconds (Django's default: three days).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# Reverse proxies in front of the application (deploy/ puts nginx there): the client address is
# that many entries from the right of X-Forwarded-For. 0 trusts no header.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0 if DEBUG else 1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Manila")
# Events longer than this many days (and every project and sub-project) are drawn as thin bars
# after the day's short items, so year-long containers do not bury the work in them.
CALENDAR_LONG_EVENT_DAYS = env.int("CALENDAR_LONG_EVENT_DAYS", default=14)
# Encoded feed and ICS bodies are kept in the cache (Redis when REDIS_URL is set) under their
# validator for this long; 0 turns it off. Bodies larger than the limit are not kept.
CALENDAR_BODY_CACHE_SECONDS = env.int("CALENDAR_BODY_CACHE_SECONDS", default=600)
# The tree page's content and expanded rows, kept until anything they show changes
# (common.page_cache).
PAGE_CONTENT_CACHE_SECONDS = env.int("PAGE_CONTENT_CACHE_SECONDS", default=600)
CALENDAR_BODY_CACHE_MAX_BYTES = env.int("CALENDAR_BODY_CACHE_MAX_BYTES", default=8_000_000)
# With a shared cache (Redis), each web process also keeps the bodies it served last, up to this
# many bytes, so an unchanged window is not fetched from Redis again; 0 turns that off.
CALENDAR_BODY_LOCAL_BYTES = env.int("CALENDAR_BODY_LOCAL_BYTES", default=32_000_000)
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=REPO_DIR / "staticfiles")
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    # Attached files: MEDIA_ROOT, or the S3-compatible bucket named by OBCMS_S3_BUCKET.
    "default": default_storage(env),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security --------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe these over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict CSP: only our own origin, scripts and styles need a nonce or a file of ours.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Feature flags (read only through obcms.flags) ------------------------------------------------
# Defaults are the production values of the deployment checklist.
FEATURE_FLAGS = {
    "USE_WORKITEM_MODEL": env.bool("USE_WORKITEM_MODEL", default=True),
    "USE_UNIFIED_CALENDAR": env.bool("USE_UNIFIED_CALENDAR", default=True),
    "DUAL_WRITE_ENABLED": env.bool("DUAL_WRITE_ENABLED", default=False),
    "LEGACY_MODELS_READONLY": env.bool("LEGACY_MODELS_READONLY", default=True),
}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.access.HasRole",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["common.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.str("API_RATE", default="3000/hour")},
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OBCMS Work API",
    "DESCRIPTION": "Work items (projects to subtasks), teams, people, notifications and "
    "calendar subscriptions. Authenticate with `Authorization: Token <token>` "
    "(`manage.py create_api_token`) or a signed-in session (with its CSRF token).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.add_error_responses",
    ],
}

# --- Work item rules -----------------------------------------------------------------------------
# Which child types each type may hold. The default is the original system's rule set, so every
# legacy record fits. Override in a settings module of your own if the office needs other rules.
WORK_ITEM_CHILD_TYPES = {
    "project": ["sub_project", "activity", "sub_activity", "task", "subtask"],
    "sub_project": ["sub_project", "activity", "sub_activity", "task", "subtask"],
    "activity": ["sub_activity", "task", "subtask"],
    "sub_activity": ["sub_activity", "task", "subtask"],
    "task": ["subtask"],
    "subtask": ["subtask"],
}
WORK_ITEM_ROOT_TYPES = ["project", "activity", "task"]
WORK_ITEM_MAX_DEPTH = env.int("WORK_ITEM_MAX_DEPTH", default=8)

# --- Mail and links in mail ------------------------------------------------------------------
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# EMAIL_URL like smtp+tls://user:password@mail.example.org:587. Default: the local mail server
# on a production host; while developing, one file per sent batch under MAIL_DIR (git-ignored),
# so the demo's assignment e-mails do not flood the console `make run` prints to.
_mail = env.email_url("EMAIL_URL", default="filemail://" if DEBUG else "smtp://localhost:25")
MAIL_DIR = env.path("MAIL_DIR", default=REPO_DIR / "var" / "mail")
if _mail["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": _mail.get("EMAIL_HOST"),
        "port": _mail.get("EMAIL_PORT"),
        "username": _mail.get("EMAIL_HOST_USER"),
        "password": _mail.get("EMAIL_HOST_PASSWORD"),
        "use_tls": _mail.get("EMAIL_USE_TLS", False),
        "use_ssl": _mail.get("EMAIL_USE_SSL", False),
        "timeout": 20,
    }
elif _mail["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the leading "/" of filemail:///some/folder; no folder: MAIL_DIR.
    _mail_file = _mail.get("EMAIL_FILE_PATH")
    _mail_options = {"file_path": str(Path("/" + _mail_file) if _mail_file else MAIL_DIR)}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _mail["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OBCMS Work <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs -------------------------------------------------------------------------
# With a broker, tasks go to the Celery worker; without one they run in-process at once, so a
# single-server trial needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 7 * 24 * 3600  # task results are pruned after a week
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(REPO_DIR / "celerybeat-schedule")
)

# --- Logging ---------------------------------------------------------------------------------
LOG_DIR = env.path("LOG_DIR", default=REPO_DIR / "logs")
Path(LOG_DIR).mkdir(parents=True, exist_ok=True)
# The checklist says `tail -f logs/django.log` right after `cd src`: src/logs leads to LOG_DIR.
_SRC_LOGS = SRC_DIR / "logs"
if Path(LOG_DIR).resolve() != _SRC_LOGS.resolve() and not _SRC_LOGS.exists():
    try:
        _SRC_LOGS.unlink(missing_ok=True)  # a link to a folder that has since moved
        _SRC_LOGS.symlink_to(Path(LOG_DIR).resolve(), target_is_directory=True)
    except OSError:
        pass  # a read-only source tree (a container image): the path under the repository stays
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": str(Path(LOG_DIR) / "django.log"),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "plain",
            "encoding": "utf-8",
        },
    },
    "root": {"handlers": ["console", "file"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console", "file"], "level": LOG_LEVEL, "propagate": False},
    },
}

# --- Outgoing webhooks (integrations app, docs/api.md) ---------------------------------------
# Hosts (exact names or addresses) a webhook may reach although they resolve to a private,
# loopback, link-local or reserved address; everything else must resolve to public addresses.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_BACKOFF_SECONDS = env.int("WEBHOOK_BACKOFF_SECONDS", default=30)
WEBHOOK_BACKOFF_MAX_SECONDS = env.int("WEBHOOK_BACKOFF_MAX_SECONDS", default=6 * 3600)

# --- Backups and monitoring ---------------------------------------------------------------------
# While this file exists every request but /health/ answers 503 (set by rollback_deployment).
MAINTENANCE_FILE = env.path("MAINTENANCE_FILE", default=REPO_DIR / "var" / "maintenance")
# Files attached to work items: stored through Django's storage API (local folder by default),
# never served from a public address — every download checks that the person may see the item.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=REPO_DIR / "media")
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024)
ATTACHMENT_MAX_FILES_PER_UPLOAD = env.int("ATTACHMENT_MAX_FILES_PER_UPLOAD", default=10)
ATTACHMENT_MAX_PER_ITEM = env.int("ATTACHMENT_MAX_PER_ITEM", default=200)
ATTACHMENT_MAX_PIXELS = env.int("ATTACHMENT_MAX_PIXELS", default=50_000_000)
# Behind nginx: the internal location that serves MEDIA_ROOT (deploy/nginx.conf), so the
# application checks permission and nginx sends the bytes. Empty: the application sends them.
ATTACHMENT_X_ACCEL_PREFIX = env.str("ATTACHMENT_X_ACCEL_PREFIX", default="")
# With S3 storage: after the permission check, send the browser to a signed address valid for
# OBCMS_S3_URL_SECONDS (1) or stream the bytes through the application (0). Thumbnails are
# always streamed, so the page's img-src stays our own origin.
ATTACHMENT_S3_REDIRECT = env.bool("OBCMS_S3_REDIRECT_DOWNLOADS", default=False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Where `make test` records the last run of the suite (read by deployment_check).
TEST_RESULTS_DIR = env.path("TEST_RESULTS_DIR", default=REPO_DIR / "test-results")
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(REPO_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
SLOW_QUERY_MS = env.float("SLOW_QUERY_MS", default=500.0)
# One line per request (method, path, status, duration, view, person) at INFO: written with the
# default LOG_LEVEL, silent when an operator asks for WARNING and above only.
LOGGING["loggers"]["obcms.requests"] = {
    "handlers": ["console", "file"],
    "level": LOG_LEVEL,
    "propagate": False,
}

# --- Dashboards and reports (insights) -------------------------------------------------------
# More than this many items due in one week marks a person or team as overloaded.
INSIGHTS_OVERLOAD_PER_WEEK = env.int("INSIGHTS_OVERLOAD_PER_WEEK", default=5)
# A finished project that used less than this share of its allocation is flagged under-spent.
INSIGHTS_UNDERSPEND_PERCENT = env.int("INSIGHTS_UNDERSPEND_PERCENT", default=80)

# --- Error tracking --------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:  # pragma: no cover - needs a DSN
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
