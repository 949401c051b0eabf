"""Joining by invitation, and setting a new password by e-mail (Django's views, our pages).

Both answer bad input with 400 and the reason beside the field, and speak of a link that
cannot be used (expired, used, withdrawn, altered) in a sentence that says what to do next.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from .. import invitations, services
from ..forms import AcceptInvitationForm
from ..models import Invitation, User


def _suggested_username(invitation: Invitation) -> str:
    """The e-mail's local part, with a number added when it is taken."""
    base = "".join(c for c in invitation.email.split("@")[0] if c.isalnum() or c in ".-_")[:140]
    base = base or "user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _problem(request: HttpRequest, problem: invitations.LinkProblem) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_problem.html",
        {"message": problem.message},
        status=problem.status,
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.read(token)
    except invitations.LinkProblem as problem:
        return _problem(request, problem)
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={
            "username": _suggested_username(invitation),
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept(
                token,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except invitations.LinkProblem as problem:
            return _problem(request, problem)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                f"Welcome, {user.display_name}. You are signed in as {user.username}; "
                "use that name and your password next time.",
            )
            return redirect("home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


class BadInputIs400:
    """Answer a form that did not validate with 400 instead of Django's 200."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class PasswordResetView(BadInputIs400, auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Links in the e-mail use the scheme this page was asked over (https behind nginx).
        self.use_https = self.request.is_secure()
        return super().form_valid(form)


class PasswordResetConfirmView(BadInputIs400, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")
