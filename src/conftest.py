"""Shared pytest fixtures: the cast of users and small helpers."""

import pytest

collect_ignore = ["scripts"]
pytest_plugins = ["testing.browser", "testing.deployment"]


@pytest.fixture
def cast(db):
    from testing.cast import build_cast

    return build_cast()


@pytest.fixture
def on_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
