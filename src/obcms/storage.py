"""Where attached files live: the local MEDIA_ROOT folder, or an S3-compatible bucket.

Read once by settings from the environment. Files are never public either way: the bucket is
private (no ACL, signed requests), and every download passes the application's permission check
before a byte (or a short-lived signed address) leaves the server.
"""

from __future__ import annotations

from typing import Any

import environ

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"


def default_storage(env: environ.Env) -> dict[str, Any]:
    """The STORAGES["default"] entry: S3 when OBCMS_S3_BUCKET is set, the local folder otherwise."""
    bucket = env.str("OBCMS_S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": LOCAL_BACKEND}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Private objects, signed requests: the bucket's own policy decides nothing for us.
        "default_acl": None,
        "querystring_auth": env.bool("OBCMS_S3_QUERYSTRING_AUTH", default=True),
        "querystring_expire": env.int("OBCMS_S3_URL_SECONDS", default=60),
        # Two uploads called "minutes.pdf" must never replace each other.
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    optional = {
        "endpoint_url": "OBCMS_S3_ENDPOINT_URL",
        "region_name": "OBCMS_S3_REGION",
        "access_key": "OBCMS_S3_ACCESS_KEY_ID",
        "secret_key": "OBCMS_S3_SECRET_ACCESS_KEY",
        "custom_domain": "OBCMS_S3_CUSTOM_DOMAIN",
        "location": "OBCMS_S3_PREFIX",
        "addressing_style": "OBCMS_S3_ADDRESSING_STYLE",
    }
    for option, variable in optional.items():
        value = env.str(variable, default="")
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
