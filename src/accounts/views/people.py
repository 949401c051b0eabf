"""The People page: who is in an organisation, their roles, invitations, accounts on and off.

Managers see and manage their own organisation; administrators choose any organisation they
see. Whom a row may be changed by is `common.permissions.can_manage_person`; the writes are
`accounts.services`, which ask again, so a crafted request meets the same refusal as the page.
People outside what one may see are not found (404), not merely refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common import permissions

from .. import services
from ..forms import InviteForm, RoleForm
from ..models import Invitation, Organization, User
from ..roles import ROLES


def _organizations(request: HttpRequest) -> QuerySet[Organization]:
    organizations = permissions.people_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(
            "Only managers and administrators manage people; ask one of them to invite someone "
            "or to change a role."
        )
    return organizations


def _chosen(request: HttpRequest, organizations: QuerySet[Organization]) -> Organization:
    """The organisation asked for (?organization=), else one's own, else the first one seen."""
    wanted = request.GET.get("organization") or request.POST.get("organization") or ""
    if wanted.isdigit():
        found = organizations.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    own = organizations.filter(pk=request.user.organization_id).first()
    return own or organizations.first()


def _people(actor: User, organization: Organization) -> list[User]:
    """The organisation's people with their roles read in one extra query, not one per row."""
    rows = list(
        permissions.visible_people(actor)
        .filter(organization=organization)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES)))
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    for person in rows:
        names = {g.name for g in person.groups.all()}
        person.__dict__["_role_cache"] = next((r for r in ROLES if r in names), None)
        person.manageable = permissions.can_manage_person(actor, person)
    return rows


def _page(
    request: HttpRequest,
    organization: Organization | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    organizations = _organizations(request)
    organization = organization or _chosen(request, organizations)
    invite_form = forms.get("invite_form") or InviteForm(
        actor=request.user, organization=organization
    )
    context = {
        "nav": "people",
        "organization": organization,
        "organizations": organizations if organizations.count() > 1 else None,
        "people": _people(request.user, organization),
        "invitations": Invitation.objects.filter(
            organization=organization, accepted_at__isnull=True
        ).select_related("invited_by"),
        "invite_form": invite_form,
        "roles": permissions.grantable_roles(request.user),
        "error": forms.get("error"),
    }
    return render(request, "accounts/people.html", context, status=status)


def _back(organization: Organization | None) -> HttpResponse:
    url = reverse("accounts:people")
    return redirect(f"{url}?organization={organization.pk}" if organization else url)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    organizations = _organizations(request)
    form = InviteForm(request.POST, actor=request.user, organization=None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation, sent = services.invite(
                request.user,
                email=data["email"],
                organization=data["organization"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_sent(request, invitation, sent)
            return _back(invitation.organization)
    chosen = form.cleaned_data.get("organization") if form.is_bound else None
    return _page(request, chosen or _chosen(request, organizations), 400, invite_form=form)


def _report_sent(request: HttpRequest, invitation: Invitation, sent: bool) -> None:
    if sent:
        messages.success(
            request, f"An invitation was e-mailed to {invitation.email} as {invitation.role}."
        )
    else:
        messages.error(
            request,
            f"The invitation to {invitation.email} is saved, but the e-mail could not be sent "
            "now; use “Send again” in a moment.",
        )


def _person(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(permissions.visible_people(request.user), pk=pk)


@login_required
@require_POST
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = RoleForm(request.POST, actor=request.user)
    if not form.is_valid():
        roles = ", ".join(permissions.grantable_roles(request.user)) or "none"
        return _page(
            request,
            person.organization,
            400,
            error=f"Choose a role you may give ({roles}) for {person.display_name}.",
        )
    try:
        services.change_role(request.user, person, form.cleaned_data["role"])
    except ValidationError as error:
        return _page(request, person.organization, 400, error=" ".join(error.messages))
    messages.success(request, f"{person.display_name} is now {form.cleaned_data['role']}.")
    return _back(person.organization)


def _switch(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    person = _person(request, pk)
    services.set_active(request.user, person, active)
    if active:
        messages.success(request, f"{person.display_name} can sign in again.")
    else:
        messages.success(
            request,
            f"{person.display_name} is deactivated: they cannot sign in and their API tokens "
            "stop working. Their work and history stay.",
        )
    return _back(person.organization)


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(request, pk, active=False)


@login_required
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(request, pk, active=True)


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.filter(organization__in=_organizations(request)), pk=pk
    )


@login_required
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    try:
        sent = services.resend(request.user, invitation, _site_url(request))
    except ValidationError as error:
        return _page(request, invitation.organization, 400, error=" ".join(error.messages))
    _report_sent(request, invitation, sent)
    return _back(invitation.organization)


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    try:
        services.withdraw(request.user, invitation)
    except ValidationError as error:
        return _page(request, invitation.organization, 400, error=" ".join(error.messages))
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return _back(invitation.organization)
