"""API authentication by personal token, and throttling per token (or per signed-in person)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from accounts.auth import token_from
from accounts.models import ApiToken, hash_token


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>` with a token from `manage.py create_api_token`."""

    keyword = "Token"

    def authenticate(self, request):
        raw = token_from(request._request)
        if raw is None:
            return None
        user = ApiToken.authenticate(raw)
        if user is None:
            raise exceptions.AuthenticationFailed("Unknown, revoked or inactive token.")
        return user, hash_token(raw)

    def authenticate_header(self, request) -> str:
        return 'Token realm="OBCMS Work API"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`; create one with `manage.py create_api_token`.",
        }


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """One budget per token (each token of a person counts separately), or per session user."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, str):
            ident = f"token-{request.auth[:16]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
