"""Setting a new password by e-mail from the sign-in page (Django's views in the product's look)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from accounts.models import User

NEW = "another long passphrase 7"


def test_the_sign_in_page_offers_a_reset(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page


def test_a_reset_email_is_sent_and_its_link_sets_the_password(client, cast):
    User.objects.filter(pk=cast.staff.pk).update(email="sofia@example.org")
    sent = client.post("/accounts/password/reset/", {"email": "sofia@example.org"})
    assert sent.status_code == 302
    assert [m.to for m in mail.outbox] == [["sofia@example.org"]]
    assert "user name is sofia" in mail.outbox[0].body
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]

    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0]
    mismatch = client.post(set_password, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert mismatch.status_code == 400
    done = client.post(set_password, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert Client().login(username="sofia", password=NEW)
    # The link worked once.
    again = Client().get(path, follow=True)
    assert "This link cannot be used" in again.content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, cast):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_malformed_address_is_a_400(client, db):
    response = client.post("/accounts/password/reset/", {"email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_a_deactivated_account_gets_no_reset_email(client, cast):
    User.objects.filter(pk=cast.staff.pk).update(email="sofia@example.org", is_active=False)
    client.post("/accounts/password/reset/", {"email": "sofia@example.org"})
    assert mail.outbox == []
