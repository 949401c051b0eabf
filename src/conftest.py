"""Shared pytest fixtures: the cast of users and small helpers."""

import threading

import pytest

collect_ignore = ["scripts"]
pytest_plugins = ["testing.browser", "testing.deployment"]


class OneRequestAtATime:
    """WSGI wrapper answering one request at a time, body included.

    On an in-memory SQLite database the live server's request threads all use the test's one
    connection (that database exists only inside it). An item's page loads its sections in
    parallel; two requests interleaving on that connection lost the session (the section got the
    sign-in page) or failed with a 500. PostgreSQL gives each thread its own connection.
    """

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            result = self.app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()


@pytest.fixture(autouse=True)
def no_cache_across_tests():
    """What one test's pages kept in the (local memory) cache is never served to the next: on
    SQLite, ids are handed out again after each test's rollback."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, serialised while it shares an in-memory SQLite connection."""
    httpd = live_server.thread.httpd
    if live_server.thread.connections_override and not isinstance(
        httpd.get_app(), OneRequestAtATime
    ):
        httpd.set_app(OneRequestAtATime(httpd.get_app()))
    return live_server


@pytest.fixture
def cast(db):
    from testing.cast import build_cast

    return build_cast()


@pytest.fixture
def on_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
