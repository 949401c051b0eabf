"""Health and readiness answer monitors and load balancers without a sign-in."""

from django.test import override_settings


def test_health_reports_every_check_as_json(client, db):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "broker"}
    assert body["checks"]["broker"].startswith("not configured")


def test_health_is_plain_text_for_people(client, db):
    response = client.get("/health/")
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("ok\ndatabase: ok")


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_broker_makes_health_fail_with_503(client, db):
    from obcms.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/health/?format=json")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error:")


def test_ready_says_yes_when_migrations_are_applied(client, db):
    assert client.get("/ready/").json() == {"ready": True}
