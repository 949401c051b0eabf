"""Inviting people by e-mail: the link is signed, works once, and expires.

The invitee chooses a user name and password and is signed in with the role and organisation
the manager chose; nothing else about the account comes from the request.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from accounts.roles import STAFF, VIEWER

PASSWORD = "a long fresh passphrase 42"


def invite(client: Client, cast, email: str = "nadia@example.org", role: str = STAFF):
    client.force_login(cast.manager)
    return client.post(
        "/people/invite/",
        {"email": email, "first_name": "Nadia", "role": role, "organization": cast.office.pk},
    )


def link_in_last_mail() -> str:
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0).split("testserver", 1)[1]


def accept(client: Client, path: str, username: str = "nadia", **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(path, data)


def test_a_manager_invites_by_email_and_the_link_creates_the_account(client, cast):
    response = invite(client, cast)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert "Office for Other Bangsamoro Communities" in mail.outbox[0].subject
    path = link_in_last_mail()

    guest = Client()
    form = guest.get(path)
    assert form.status_code == 200
    assert 'value="nadia"' in form.content.decode()  # suggested from the e-mail address
    done = accept(guest, path, first_name="Nadia")
    assert done.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert (nadia.organization, nadia.role, nadia.email) == (
        cast.office,
        STAFF,
        "nadia@example.org",
    )
    assert guest.get("/").status_code == 200  # signed in
    assert Client().login(username="nadia", password=PASSWORD)


def test_an_invitation_link_works_once(client, cast):
    invite(client, cast)
    path = link_in_last_mail()
    assert accept(Client(), path).status_code == 302
    again = accept(Client(), path, username="nadia2")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert not User.objects.filter(username="nadia2").exists()


def test_an_invitation_link_expires(client, cast, settings):
    days_ago = settings.INVITATION_DAYS + 1
    stamp = signing.b62_encode(int(time.time()) - days_ago * 86400)
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=stamp):
        invite(client, cast)
    Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=days_ago))
    response = Client().get(link_in_last_mail())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert "ask Marco" in response.content.decode()
    assert not Invitation.objects.get().is_pending
    # The same link made today works: it is the age that is refused.
    Invitation.objects.update(sent_at=timezone.now())
    client.post(f"/people/invitations/{Invitation.objects.get().pk}/resend/")
    assert Client().get(link_in_last_mail()).status_code == 200


def test_an_altered_link_is_refused(client, cast):
    invite(client, cast)
    path = link_in_last_mail()
    tampered = path.replace("/invitation/", "/invitation/x")
    assert Client().get(tampered).status_code == 404


def test_sending_again_makes_the_older_link_useless(client, cast):
    invite(client, cast)
    old = link_in_last_mail()
    invitation = Invitation.objects.get()
    client.post(f"/people/invitations/{invitation.pk}/resend/")
    new = link_in_last_mail()
    assert old != new
    assert Client().get(old).status_code == 410
    assert accept(Client(), new).status_code == 302


def test_a_withdrawn_invitation_no_longer_works(client, cast):
    invite(client, cast)
    path = link_in_last_mail()
    client.post(f"/people/invitations/{Invitation.objects.get().pk}/withdraw/")
    response = Client().get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an address", "Enter a valid email address."),
        ("sofia@example.org", "Someone already has an account"),
    ],
)
def test_bad_invitations_are_a_400_with_the_reason(client, cast, email, message):
    User.objects.filter(pk=cast.staff.pk).update(email="sofia@example.org")
    response = invite(client, cast, email=email)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mail.outbox == []


def test_inviting_the_same_address_twice_points_to_send_again(client, cast):
    invite(client, cast)
    second = invite(client, cast)
    assert second.status_code == 400
    assert "has an invitation waiting already" in second.content.decode()


def test_a_manager_cannot_invite_an_administrator(client, cast):
    response = invite(client, cast, role="Administrator")
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_accepting_with_a_weak_password_or_a_taken_name_is_a_400(client, cast):
    invite(client, cast)
    path = link_in_last_mail()
    guest = Client()
    weak = guest.post(path, {"username": "nadia", "password1": "123", "password2": "123"})
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()
    taken = accept(guest, path, username="sofia")
    assert taken.status_code == 400
    assert "This user name is taken" in taken.content.decode()
    assert Invitation.objects.get().accepted_at is None  # still usable


def test_the_invitee_gets_exactly_the_role_and_organisation_of_the_invitation(client, cast):
    invitation, sent = services.invite(
        cast.administrator, email="pia@example.org", organization=cast.partner, role=VIEWER
    )
    assert sent
    from accounts.invitations import make_token

    user = services.accept(
        make_token(invitation), username="pia", password=PASSWORD, first_name="", last_name=""
    )
    assert (user.organization, user.role, user.is_staff) == (cast.partner, VIEWER, False)
