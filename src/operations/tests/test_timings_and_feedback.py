"""Page load times for administrators, and feedback from everyone."""

import logging

from operations.models import Feedback, RequestTiming


def test_calendar_page_loads_are_timed_and_shown_to_administrators(client, cast):
    client.force_login(cast.staff)
    client.get("/oobc-management/calendar/")
    client.get("/oobc-management/calendar/")
    assert RequestTiming.objects.filter(view="calendar:page").count() == 2
    assert client.get("/operations/performance/").status_code == 403
    client.force_login(cast.administrator)
    html = client.get("/operations/performance/").content.decode()
    assert "calendar:page" in html


def test_every_request_is_logged_with_its_duration(client, cast, caplog):
    client.force_login(cast.staff)
    with caplog.at_level(logging.INFO, logger="obcms.requests"):
        client.get("/oobc-management/work-items/")
    [record] = [r for r in caplog.records if r.name == "obcms.requests"]
    assert "GET /oobc-management/work-items/ 200" in record.getMessage()
    assert "ms view=common:tree" in record.getMessage()


def test_an_operator_who_asks_for_warnings_only_gets_no_line_per_request(tmp_path):
    """LOG_LEVEL=WARNING: the request lines are not written; the default INFO writes them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import django, logging; django.setup(); "
        "print(logging.getLogger('obcms.requests').isEnabledFor(logging.INFO))"
    )
    src = Path(__file__).resolve().parents[2]
    answers = {}
    for level in ("WARNING", "INFO"):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "obcms.settings",
            "LOG_LEVEL": level,
            "LOG_DIR": str(tmp_path),
        }
        out = subprocess.run(
            [sys.executable, "-c", probe], cwd=src, env=env, capture_output=True, text=True
        )
        answers[level] = out.stdout.strip().splitlines()[-1] if out.stdout else out.stderr
    assert answers == {"WARNING": "False", "INFO": "True"}


def test_feedback_is_stored_with_the_page_it_came_from(client, cast):
    client.force_login(cast.staff)
    page = client.get("/feedback/?from=/oobc-management/calendar/").content.decode()
    assert 'value="/oobc-management/calendar/"' in page
    response = client.post(
        "/feedback/",
        {"rating": "4", "comment": "Drag works well", "page": "/oobc-management/calendar/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/oobc-management/calendar/"
    entry = Feedback.objects.get()
    assert (entry.user, entry.rating, entry.page) == (cast.staff, 4, "/oobc-management/calendar/")


def test_feedback_needs_a_rating_and_refuses_foreign_redirects(client, cast):
    client.force_login(cast.staff)
    assert client.post("/feedback/", {"comment": "no rating"}).status_code == 400
    page = client.get("/feedback/?from=https://evil.example/").content.decode()
    assert 'value="https://evil.example/"' not in page


def test_administrators_can_export_feedback_as_csv(client, cast):
    Feedback.objects.create(user=cast.staff, rating=5, comment="Great", page="/")
    client.force_login(cast.administrator)
    cast.administrator.is_superuser = True
    cast.administrator.save()
    response = client.post(
        "/admin/operations/feedback/",
        {"action": "export_csv", "_selected_action": [Feedback.objects.get().pk]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Great" in response.content.decode()
