"""The profile page: one's name, time zone, notification settings and personal API tokens.

Each form posts to its own address and, on bad input, the whole page comes back with status 400
and the message beside the field. A new token's raw value is kept in the session just long
enough to be shown once after the redirect, so reloading the page never issues a second token.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from notifications.forms import PreferenceForm
from notifications.models import Preference

from .. import services
from ..forms import ProfileForm, TokenForm
from ..models import ApiToken

NEW_TOKEN = "accounts.new_token"


def _page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "nav": "profile",
        "details": forms.get("details")
        or ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "time_zone": user.time_zone,
            }
        ),
        "preferences": forms.get("preferences")
        or PreferenceForm(instance=Preference.for_user(user)),
        "token_form": forms.get("token_form") or TokenForm(),
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
        "new_token": request.session.pop(NEW_TOKEN, None) if status == 200 else None,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.update_profile(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _page(request, 400, details=form)
    messages.success(request, "Your details were saved.")
    return redirect("accounts:profile")


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST, instance=Preference.for_user(request.user))
    if not form.is_valid():
        return _page(request, 400, preferences=form)
    form.save()
    messages.success(request, "Your notification settings were saved.")
    return redirect("/accounts/profile/#notifications")


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.issue_token(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_TOKEN] = {"name": token.name, "raw": raw}
            return redirect("/accounts/profile/#tokens")
    return _page(request, 400, token_form=form)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(request.user, token)
    messages.success(request, f"The token “{token.name}” was revoked; it no longer works.")
    return redirect("/accounts/profile/#tokens")
