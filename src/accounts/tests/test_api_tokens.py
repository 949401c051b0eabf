"""Personal API tokens: printed once, stored only as a hash, revocable."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken, hash_token


def test_create_api_token_prints_a_token_that_authenticates_its_owner(cast):
    out = StringIO()
    call_command("create_api_token", "sofia", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("obw_")
    assert len(raw) > 40
    assert ApiToken.authenticate(raw) == cast.staff


def test_only_a_hash_of_the_token_is_stored(cast):
    token, raw = ApiToken.issue(cast.staff)
    assert raw not in token.key_hash
    assert token.key_hash == hash_token(raw)
    assert token.hint == raw[:10]


def test_a_revoked_token_no_longer_works(cast):
    token, raw = ApiToken.issue(cast.staff)
    token.revoked_at = timezone.now()
    token.save()
    assert ApiToken.authenticate(raw) is None


def test_an_inactive_users_token_no_longer_works(cast):
    _, raw = ApiToken.issue(cast.staff)
    cast.staff.is_active = False
    cast.staff.save()
    assert ApiToken.authenticate(raw) is None


@pytest.mark.parametrize("raw", ["", "obw_wrong", "Token abc", "x" * 500])
def test_unknown_tokens_are_refused(cast, raw):
    assert ApiToken.authenticate(raw) is None


def test_using_a_token_records_when(cast):
    token, raw = ApiToken.issue(cast.staff)
    ApiToken.authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_command_fails_with_a_reason_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody")
