"""The conversation: an item's page with a long stream, and telling hundreds of watchers.

* the conversation fragment of an item with N comments (half of them replies) and N/4 files,
  rendered through Django's test client as a signed-in person (median, p95, queries);
* one comment told to W watchers (the background job: find, check, bulk insert).
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization, User
from accounts.roles import MANAGER, VIEWER, assign_role
from collaboration.models import Attachment, Comment, Watch
from collaboration.notices import tell_watchers
from common.services import create_work_item


def _timed(action, runs: int) -> tuple[float, float, int]:
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def run(size: int) -> list[tuple[str, float, float, int]]:
    office = Organization.objects.create(name="Bench office", acronym="BENCH")
    manager = User.objects.create_user("bench-manager", organization=office, password="x" * 12)
    assign_role(manager, MANAGER)
    item = create_work_item(
        manager, work_type="activity", title="Consultation", organization=office
    )
    comments = Comment.objects.bulk_create(
        [
            Comment(work_item=item, author=manager, body=f"Note {n}", body_html=f"<p>Note {n}</p>")
            for n in range(size // 2)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(work_item=item, author=manager, reply_to=c, body="Yes", body_html="<p>Yes</p>")
            for c in comments
        ]
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                work_item=item,
                comment=comments[n],
                file=f"attachments/x/{n}",
                original_name=f"minutes-{n}.pdf",
                content_type="application/pdf",
                size=1000,
                uploaded_by=manager,
            )
            for n in range(size // 4)
        ]
    )
    client = Client()
    client.force_login(manager)
    url = f"/oobc-management/work-items/{item.pk}/conversation/"
    results = []
    median, p95, queries = _timed(lambda: client.get(url, HTTP_HOST="testserver"), 15)
    results.append(
        (f"conversation of {size:,} comments, {size // 4:,} files", median, p95, queries)
    )

    watchers = User.objects.bulk_create(
        [User(username=f"w{n}", organization=office, email=f"w{n}@example.org") for n in range(500)]
    )
    for person in watchers[:1]:
        assign_role(person, VIEWER)
    group = watchers[0].groups.get()
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=group.pk) for p in watchers[1:]]
    )
    Watch.objects.bulk_create([Watch(work_item=item, user=p) for p in watchers])
    median, p95, queries = _timed(
        lambda: tell_watchers(item, "commented", "New", "{count} new", actor_id=manager.pk), 5
    )
    results.append(("tell 500 watchers of a comment", median, p95, queries))
    return results
