"""Reading captured statements as a page's own work, apart from signing in."""

from __future__ import annotations

#: Tables every signed-in request may read to know who asks (session, person, permissions).
SIGN_IN = ("django_session", "auth_permission")


def beyond_sign_in(captured, *also: str) -> list[str]:
    """Statements of `captured` other than sign-in's and those naming any table in `also`."""
    skipped = (*SIGN_IN, *also)
    return [
        q["sql"]
        for q in captured.captured_queries
        if not any(table in q["sql"] for table in skipped)
        and 'FROM "accounts_user"' not in q["sql"].split("WHERE")[0]
    ]
