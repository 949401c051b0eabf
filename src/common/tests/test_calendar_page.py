"""The calendar page itself: legend, filters and the settings its script needs."""

import json

from django.test import override_settings

FLAGS = {
    "USE_WORKITEM_MODEL": True,
    "USE_UNIFIED_CALENDAR": True,
    "DUAL_WRITE_ENABLED": False,
    "LEGACY_MODELS_READONLY": True,
}


def config_of(html: str) -> dict:
    raw = html.split('<script id="calendar-config" type="application/json">')[1].split("</script>")[
        0
    ]
    return json.loads(raw)


def test_the_page_offers_all_six_types_and_the_feed(client, cast):
    client.force_login(cast.staff)
    html = client.get("/oobc-management/calendar/").content.decode()
    for label in ("Project", "Sub-Project", "Activity", "Sub-Activity", "Task", "Subtask"):
        assert f"{label}</label>" in html
    config = config_of(html)
    assert config["feedUrl"] == "/oobc-management/calendar/work-items/feed/"
    assert config["timeZone"] == "Asia/Manila"
    assert config["writable"] is True
    assert "Field Coordination" in html


@override_settings(
    FEATURE_FLAGS={**FLAGS, "USE_UNIFIED_CALENDAR": False, "USE_WORKITEM_MODEL": False}
)
def test_before_cut_over_the_page_shows_events_only_and_no_dragging(client, cast):
    client.force_login(cast.staff)
    html = client.get("/oobc-management/calendar/").content.decode()
    assert "Sub-Activity</label>" in html
    assert "Task</label>" not in html
    assert config_of(html)["writable"] is False
    assert "switched off until the cut-over" in html


def test_the_calendar_page_needs_a_sign_in(client, db):
    assert client.get("/oobc-management/calendar/").status_code == 302
