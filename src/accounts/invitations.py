"""Invitation links: signed, time-stamped, naming one invitation row and its current nonce.

A link is `TimestampSigner.sign_object({"i": id, "n": nonce})`, so nobody can make one up or
stretch its age; sending an invitation again rotates the nonce (older links stop working), and
accepting marks the row used (the link works once). `read` turns any link into the pending
invitation or a `LinkProblem` that says in words what is wrong and whom to ask.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Invitation

SALT = "accounts.invitation"


def max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.INVITATION_DAYS)


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"i": invitation.pk, "n": invitation.nonce}
    )


def link(invitation: Invitation, site_url: str) -> str:
    from django.urls import reverse

    return site_url.rstrip("/") + reverse("accounts:accept", args=[make_token(invitation)])


class LinkProblem(Exception):
    """Why a link cannot be used, as a sentence for the invitee, with an HTTP status."""

    def __init__(self, message: str, status: int = 410) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _ask(invitation: Invitation) -> str:
    inviter = invitation.invited_by
    return f"ask {inviter.display_name}" if inviter else "ask whoever invited you"


def read(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation `token` names (row-locked with `lock`), or `LinkProblem`."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=max_age())
    except signing.SignatureExpired:
        data = signer.unsign_object(token)  # genuine but old: say so, and whom to ask
        invitation = Invitation.objects.filter(pk=data.get("i")).first()
        ask = _ask(invitation) if invitation else "ask whoever invited you"
        raise LinkProblem(
            f"This invitation link has expired (links work for {settings.INVITATION_DAYS} "
            f"days); {ask} to send it again."
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkProblem(
            "This invitation link is not valid; check that you opened the whole link from "
            "the e-mail.",
            status=404,
        ) from None
    rows = Invitation.objects.select_related("organization", "invited_by")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(pk=data.get("i")).first() if isinstance(data, dict) else None
    if invitation is None:
        raise LinkProblem("This invitation no longer exists; ask whoever invited you.", 404)
    if invitation.accepted_at is not None:
        raise LinkProblem(
            "This invitation has already been used. Sign in with the user name you chose, or "
            "reset your password from the sign-in page."
        )
    if invitation.revoked_at is not None:
        raise LinkProblem(
            f"This invitation was withdrawn; {_ask(invitation)} if that is a mistake."
        )
    if data.get("n") != invitation.nonce:
        raise LinkProblem(
            "A newer invitation was sent to you since; use the link in the latest e-mail."
        )
    if invitation.expires_at <= timezone.now():
        raise LinkProblem(f"This invitation link has expired; {_ask(invitation)} to send it again.")
    return invitation
