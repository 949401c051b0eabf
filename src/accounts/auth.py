"""Who is asking: a signed-in session, or a personal token for scripts and calendar clients."""

from __future__ import annotations

from django.http import HttpRequest

from .models import ApiToken


def token_from(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("token", "bearer") and value.strip():
        return value.strip()
    return None


def request_user(request: HttpRequest):
    """The session's user, else the owner of a valid `Authorization: Token …`, else None."""
    if request.user.is_authenticated:
        return request.user
    raw = token_from(request)
    return ApiToken.authenticate(raw) if raw else None
