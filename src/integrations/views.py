"""The Webhooks page: an organisation's hooks, their delivery log and a re-send button.

Only managers of the organisation (administrators: any) reach these pages; for everyone else a
hook does not exist (404). Every change goes through `integrations.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common import permissions

from . import services
from .api import managed_hooks
from .forms import WebhookForm
from .models import Delivery, Webhook

LOG_SHOWN = 50
SETTINGS = ("name", "url", "events", "active")
# A new secret waits here for the one page that shows it (Post/Redirect/Get): a reload or a
# shared address never shows it again, and reloading never rotates it again.
FRESH_SECRET = "integrations.fresh_secret"


def _keep_secret_for_one_view(request: HttpRequest, hook: Webhook, secret: str, why: str) -> None:
    request.session[FRESH_SECRET] = {"hook": hook.pk, "secret": secret, "why": why}


def _fresh_secret(request: HttpRequest, hook: Webhook) -> dict | None:
    fresh = request.session.get(FRESH_SECRET)
    if not fresh or fresh.get("hook") != hook.pk:
        return None
    del request.session[FRESH_SECRET]
    return fresh


def _organizations(request: HttpRequest):
    organizations = permissions.webhook_organizations(request.user)
    if not organizations.exists():
        raise Http404("No organisation whose webhooks you manage.")
    return organizations


def _hook(request: HttpRequest, hook_id: int) -> Webhook:
    return get_object_or_404(managed_hooks(request.user), pk=hook_id)


def _form_errors(form: WebhookForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def hooks(request: HttpRequest) -> HttpResponse:
    """The list of hooks, and the form that adds one (its secret is shown once, here)."""
    organizations = _organizations(request)
    organization = organizations.filter(pk=request.POST.get("organization")).first() or (
        organizations.filter(pk=request.user.organization_id).first() or organizations.first()
    )
    form = WebhookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = services.create_webhook(
                    request.user, organization, **form.cleaned_data
                )
                _keep_secret_for_one_view(request, created, secret, "created")
                return redirect("integrations:hook", hook_id=created.pk)
            except ValidationError as exc:
                _form_errors(form, exc)
        status = 400
    listed = managed_hooks(request.user).order_by("organization__name", "name", "id")
    context = {
        "hooks": listed,
        "form": form,
        "organizations": organizations,
        "organization": organization,
        "nav": "webhooks",
    }
    return render(request, "integrations/hooks.html", context, status=status)


@login_required
def hook(request: HttpRequest, hook_id: int) -> HttpResponse:
    """One hook: change it, and its recent deliveries with each attempt."""
    current = _hook(request, hook_id)
    initial = {k: getattr(current, k) for k in SETTINGS}
    form = WebhookForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_webhook(request.user, current, **form.cleaned_data)
                messages.success(request, "Saved.")
                return redirect("integrations:hook", hook_id=current.pk)
            except ValidationError as exc:
                _form_errors(form, exc)
        status = 400
    deliveries = Delivery.objects.filter(webhook=current).prefetch_related("log")[:LOG_SHOWN]
    context = {
        "hook": current,
        "form": form,
        "deliveries": deliveries,
        "fresh": _fresh_secret(request, current) if request.method == "GET" else None,
        "nav": "webhooks",
    }
    return render(request, "integrations/hook.html", context, status=status)


@login_required
@require_POST
def delete(request: HttpRequest, hook_id: int) -> HttpResponse:
    services.delete_webhook(request.user, _hook(request, hook_id))
    messages.success(request, "The webhook and its delivery log were deleted.")
    return redirect("integrations:hooks")


@login_required
@require_POST
def rotate(request: HttpRequest, hook_id: int) -> HttpResponse:
    current = _hook(request, hook_id)
    secret = services.rotate_secret(request.user, current)
    _keep_secret_for_one_view(request, current, secret, "rotated")
    return redirect("integrations:hook", hook_id=current.pk)


@login_required
@require_POST
def resend(request: HttpRequest, hook_id: int, delivery_id: int) -> HttpResponse:
    current = _hook(request, hook_id)
    delivery = get_object_or_404(Delivery, pk=delivery_id, webhook=current)
    try:
        services.resend(request.user, delivery)
        messages.success(request, "Sent again; the new delivery is at the top of the log.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("integrations:hook", hook_id=current.pk)
