"""The old conversation (stage history, minutes, notes) becomes dated entries of the stream."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from collaboration.models import Comment
from legacy import models as old
from legacy.guard import legacy_writes
from legacy.sources import EVENTS, PROJECTS

from .conftest import OFFICE
from .oldsystem import event

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
STAGE_TIME = dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC)


def migrate(**options) -> str:
    out = io.StringIO()
    call_command("migrate_to_workitem", organization=OFFICE, stdout=out, **options)
    return out.getvalue()


def verify(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_workitem_migration", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def entries_of(item) -> list[Comment]:
    return list(Comment.objects.filter(work_item=item).order_by("created_at", "id"))


def test_stage_history_becomes_entries_by_their_authors_at_their_times(migrated, item_of, cast):
    stage, notes = entries_of(item_of(migrated.water))
    assert stage.author == cast.staff  # the old "sofia", matched by username
    assert stage.created_at == STAGE_TIME
    assert "from **Need Identification** to **Need Validation**" in stage.body
    assert "Need Validation" in stage.body_html and "<strong>" in stage.body_html
    assert stage.legacy_key == f"{PROJECTS}:{migrated.water.pk}:stage:0"
    assert notes.body.endswith("Coordinate with the MAO.")
    assert notes.created_at == migrated.water.updated_at
    # The values also stay under "From the old system".
    assert item_of(migrated.water).legacy_data["notes"] == "Coordinate with the MAO."


def test_event_minutes_and_decisions_become_entries_by_the_organiser(history, item_of, cast):
    meeting = event(
        "Quarterly coordination",
        history.marco,
        minutes="Opened at 9.\n\n- Budget reviewed",
        decisions_made="Hold the next one in Cotabato.",
        key_discussions="",
    )
    migrate()
    minutes, decisions = entries_of(item_of(meeting))
    assert minutes.author == cast.manager  # the old "MARCO", matched ignoring case
    assert "<li>Budget reviewed</li>" in minutes.body_html
    assert decisions.body.startswith("**Decisions made** (from the old system)")
    assert minutes.created_at == decisions.created_at == meeting.updated_at
    assert minutes.legacy_key == f"{EVENTS}:{meeting.pk}:minutes"


def test_a_mover_unknown_here_is_named_in_the_entry(history, item_of):
    with legacy_writes(force=True):
        old.ProjectWorkflow.objects.filter(pk=history.blocked.pk).update(
            stage_history=[
                {
                    "stage": "approval",
                    "previous_stage": "budget_planning",
                    "timestamp": "2025-04-01T08:30:00+00:00",
                    "user": "old.clerk",
                    "user_id": 9999,
                    "notes": "Sent to the Chief Minister's office.",
                }
            ]
        )
    migrate()
    (entry,) = entries_of(item_of(history.blocked))
    assert entry.author is None
    assert "by old.clerk." in entry.body and "Chief Minister" in entry.body


def test_a_second_run_adds_nothing_twice_and_follows_edited_text(migrated, item_of, cast):
    water = item_of(migrated.water)
    before = Comment.objects.filter(legacy_key__isnull=False).count()
    output = migrate()
    assert "old conversation" not in output  # nothing new to add
    assert Comment.objects.filter(legacy_key__isnull=False).count() == before

    history_ = [
        *migrated.water.stage_history,
        {
            "stage": "policy_linkage",
            "previous_stage": "need_validation",
            "timestamp": "2025-04-10T01:00:00+00:00",
            "user": "MARCO",
            "user_id": migrated.marco.pk,
            "notes": "Linked to the water policy.",
        },
    ]
    with legacy_writes(force=True):
        old.ProjectWorkflow.objects.filter(pk=migrated.water.pk).update(
            stage_history=history_, notes="Coordinate with the MAO and the LGU."
        )
    assert "old conversation   1 entries added" in migrate()
    bodies = [c.body for c in entries_of(water)]
    assert len(bodies) == 3
    assert sum("Coordinate with the MAO and the LGU." in b for b in bodies) == 1
    assert entries_of(water)[1].author == cast.manager


def test_a_dry_run_stores_no_conversation(history):
    output = migrate(dry_run=True)
    assert "old conversation" in output
    assert not Comment.objects.exists()


def test_verification_counts_the_conversation_and_misses_a_lost_entry(migrated, item_of):
    code, output = verify("--json")
    report = json.loads(output)
    assert code == 0, output
    assert report["conversation"] == {"expected": 2, "present": 2}
    Comment.objects.filter(legacy_key__endswith=":notes").delete()
    code, output = verify()
    assert code == 1
    assert "Old conversation: 1 of 2 entries in the activity streams" in output
    assert "STREAM    item" in output and ":notes missing" in output


def test_the_entries_show_in_the_items_activity_stream(migrated, item_of, cast):
    client = Client()
    client.force_login(cast.viewer)
    url = reverse("collaboration:stream", args=[item_of(migrated.water).pk])
    page = client.get(url).content.decode()
    assert "Coordinate with the MAO." in page
    assert "Need Validation" in page and 'datetime="2025-03-05T' in page
