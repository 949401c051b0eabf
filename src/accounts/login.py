"""The two sign-in pages (/accounts/login/ and /admin/login/) with throttling.

The forms refuse a locked-out name or address before checking the password and say how long
to wait; the views answer such a refusal with 429 and `Retry-After`. Failures and successes are
counted from Django's `user_login_failed` / `user_logged_in` signals (connected in `apps.py`),
so every form that calls `authenticate()` counts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from . import throttle


class ThrottledLoginMixin:
    """Refuse while a lockout applies, including right after the failure that caused it."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        self._refuse_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            self._refuse_if_locked(username)
            raise

    def _refuse_if_locked(self, username: str | None) -> None:
        lockout = throttle.active_lockout(self.request, username)
        if lockout is None:
            return
        if self.request is not None:
            self.request.signin_lockout = lockout
        raise ValidationError(throttle.refusal(lockout), code="locked")


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


def with_lockout_status(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer a locked-out attempt with 429 Too Many Requests and when to come back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        lockout = getattr(request, "signin_lockout", None)
        if lockout is not None:
            response.status_code = 429
            response["Retry-After"] = str(throttle.retry_after(lockout))
        return response

    return wrapped


login_view = with_lockout_status(
    auth_views.LoginView.as_view(
        authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True
    )
)


def admin_login_view(request: HttpRequest) -> HttpResponse:
    """The admin's own login page (its template and context), with the throttled form."""
    from django.contrib import admin

    return with_lockout_status(admin.site.login)(request)


def on_login_failed(sender, credentials: dict[str, Any], request=None, **kwargs: Any) -> None:
    throttle.record_failure(request, credentials.get("username"))


def on_logged_in(sender, request, user, **kwargs: Any) -> None:
    throttle.record_success(user.get_username())
