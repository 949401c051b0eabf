"""People signed in without a role get one clear sentence instead of (empty) data.

Roles grant reading (see `common.permissions`); someone whose account has no role yet can
read nothing, and rather than showing them empty pages that look broken, every page and API
route answers 403 with whom to ask. The sign-in pages, the admin (which explains itself) and
infrastructure routes stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.permissions import BasePermission

from common import permissions

#: Paths a person without a role may still use: signing in and out, their password and profile
#: (all under /accounts/), the admin (its own "no permission" page), static files and probes.
OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/health/", "/ready/", "/favicon.ico")


def _names(people: list) -> str:
    names = [p.display_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def no_role_message(user) -> str:
    """One sentence: what is missing (a role, an organisation) and whom by name to ask."""
    organization = getattr(user, "organization", None)
    whom = f"an administrator of {organization.name}" if organization else "an administrator"
    managers = permissions.people_managers_of(user)
    if managers:
        whom += f" ({_names(managers)})"
    if organization is None and user.has_perm(permissions.VIEW_ITEMS):
        return (
            "Your account belongs to no organisation yet, so there is nothing to show you; "
            f"ask {whom} to add you to one."
        )
    return (
        "Your account has no role yet, so there is nothing to show you; "
        f"ask {whom} to give you one."
    )


class RoleRequiredMiddleware:
    """Answer signed-in people without a role with the explanation (HTML or JSON), status 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(OPEN_PREFIXES)
            and not permissions.has_role(user)
        ):
            message = no_role_message(user)
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            return render(request, "accounts/no_role.html", {"message": message}, status=403)
        return self.get_response(request)


class HasRole(BasePermission):
    """The API's answer for token callers without a role (sessions meet the middleware first)."""

    message = "Your account has no role yet; ask an administrator of your organisation."

    def has_permission(self, request, view) -> bool:
        if not permissions.has_role(request.user):
            self.message = no_role_message(request.user)
            return False
        return True
