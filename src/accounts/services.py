"""Every change to people and their access: invitations, roles, accounts on and off, profiles and
personal API tokens. Views and the admin call these; none of them writes such rows itself.

Each function asks `common.permissions` first and raises `PermissionDenied` (with a sentence) when
the actor may not act, or `ValidationError` (keyed by form field where there is one) for input
that cannot be used, so pages can show the reason beside the field.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common import permissions

from . import invitations
from .models import ApiToken, Invitation, Organization, User
from .roles import ADMINISTRATOR, MANAGER, assign_role
from .timezones import zone_names

log = logging.getLogger(__name__)

#: Roles that open the admin (team editing lives there), as `seed_demo` sets them up.
ADMIN_SITE_ROLES = (ADMINISTRATOR, MANAGER)


# --- invitations -------------------------------------------------------------------------------
def invite(
    actor: User,
    *,
    email: str,
    organization: Organization,
    role: str,
    first_name: str = "",
    last_name: str = "",
    site_url: str | None = None,
) -> tuple[Invitation, bool]:
    """Invite `email` into `organization` with `role` and e-mail the link.

    Returns the invitation and whether the e-mail went out (a mail server that is down leaves
    the invitation in place, to be sent again from the People page).
    """
    if not permissions.can_manage_people(actor, organization):
        raise PermissionDenied(f"You cannot invite people into {organization.name}.")
    if not permissions.can_grant_role(actor, role):
        raise ValidationError({"role": f"You cannot give the role {role}."})
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this e-mail address."})
    if any(i.is_pending for i in Invitation.objects.filter(email__iexact=email)):
        raise ValidationError(
            {
                "email": "This address has an invitation waiting already; send that one again "
                "from the list, or withdraw it first."
            }
        )
    invitation = Invitation.objects.create(
        email=email,
        organization=organization,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        invited_by=actor,
        nonce=invitations.new_nonce(),
    )
    return invitation, _send_invitation(invitation, site_url)


def _check_invitation_rights(actor: User, invitation: Invitation) -> None:
    if not permissions.can_manage_people(actor, invitation.organization):
        raise PermissionDenied("You cannot manage invitations of this organisation.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was already accepted.")


def resend(actor: User, invitation: Invitation, site_url: str | None = None) -> bool:
    """Send a fresh link (a new week to accept); earlier links of this invitation stop working."""
    _check_invitation_rights(actor, invitation)
    invitation.nonce = invitations.new_nonce()
    invitation.sent_at = timezone.now()
    invitation.revoked_at = None
    invitation.save(update_fields=["nonce", "sent_at", "revoked_at"])
    return _send_invitation(invitation, site_url)


def withdraw(actor: User, invitation: Invitation) -> None:
    """Make the invitation's link useless at once."""
    _check_invitation_rights(actor, invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def _send_invitation(invitation: Invitation, site_url: str | None) -> bool:
    context = {
        "invitation": invitation,
        "link": invitations.link(invitation, site_url or settings.SITE_URL),
        "days": settings.INVITATION_DAYS,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except (OSError, smtplib.SMTPException) as error:
        log.warning("invitation %s not e-mailed (%s)", invitation.pk, error)
        return False
    return True


def accept(token: str, *, username: str, password: str, first_name: str, last_name: str) -> User:
    """Create the invitee's account from a valid link (once: the row is locked and marked used).

    Raises `invitations.LinkProblem` for a link that cannot be used, `ValidationError` for a
    name or password that cannot be used.
    """
    with transaction.atomic():
        invitation = invitations.read(token, lock=True)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "This user name is taken; choose another."})
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise invitations.LinkProblem(
                "An account with this e-mail address exists already; sign in with it, or reset "
                "its password from the sign-in page."
            )
        user = User(
            username=username,
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organization=invitation.organization,
            is_staff=invitation.role in ADMIN_SITE_ROLES,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password2": error.messages}) from None
        user.set_password(password)
        user.save()
        assign_role(user, invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


# --- roles and access --------------------------------------------------------------------------
def change_role(actor: User, person: User, role: str) -> None:
    """Give `person` `role` (their only role); Managers and Administrators also open the admin."""
    if not permissions.can_manage_person(actor, person):
        raise PermissionDenied(f"You cannot change the role of {person.display_name}.")
    if not permissions.can_grant_role(actor, role):
        raise ValidationError({"role": f"You cannot give the role {role}."})
    with transaction.atomic():
        assign_role(person, role)
        if not person.is_superuser:
            person.is_staff = role in ADMIN_SITE_ROLES
            person.save(update_fields=["is_staff"])


def set_active(actor: User, person: User, active: bool) -> None:
    """Switch an account off (sign-in, sessions and API tokens stop working) or on again."""
    if not permissions.can_manage_person(actor, person):
        verb = "reactivate" if active else "deactivate"
        raise PermissionDenied(f"You cannot {verb} {person.display_name}.")
    person.is_active = active
    person.save(update_fields=["is_active"])


# --- one's own profile and tokens ---------------------------------------------------------------
def update_profile(user: User, *, first_name: str, last_name: str, time_zone: str) -> None:
    if time_zone and time_zone not in zone_names():
        raise ValidationError({"time_zone": f"“{time_zone}” is not a time zone this server knows."})
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.time_zone = time_zone
    user.save(update_fields=["first_name", "last_name", "time_zone"])


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the raw value is returned once and never stored."""
    if not user.is_active:
        raise PermissionDenied("Switched-off accounts cannot have tokens.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script that uses it."})
    return ApiToken.issue(user, name=name[:100])


def revoke_token(actor: User, token: ApiToken) -> None:
    """Stop a token at once (its owner, or an administrator who sees its owner)."""
    if not permissions.can_revoke_token(actor, token):
        raise PermissionDenied("You cannot revoke this token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
