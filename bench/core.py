"""Core tree benchmarks: writes and ancestor reads on a realistic office-sized forest.

Scenarios (each repeated, median and p95 reported with the SQL query count per operation):

* create a leaf at depth 6 (a subtask under a task) through `create_work_item`;
* move a 1,000-item subtree to another sub-project and back through `move_work_item`;
* change a depth-6 leaf's progress, rolling up through five ancestors (`update_work_item`);
* read the ancestors of a depth-6 leaf (`common.tree.ancestors`).

Run through `bench/run.py`, which prepares an empty database per engine and size.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from common.models import WorkItem
from common.services import (
    NewItem,
    bulk_create_items,
    create_work_item,
    move_work_item,
    update_work_item,
)
from common.tree import ancestors

#: Fan-out per level under each project: 213 items per project.
FAN_OUT = {
    "project": ("sub_project", 2),
    "sub_project": ("activity", 3),
    "activity": ("sub_activity", 2),
    "sub_activity": ("task", 4),
    "task": ("subtask", 3),
}


@dataclass
class Result:
    scenario: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int


def generate(
    total: int,
    seed: int = 7,
    *,
    office: Organization | None = None,
    dress: Callable[[NewItem], None] | None = None,
) -> dict[str, list[int]]:
    """Load about `total` items (plus one 1,000-item activity) and return ids by type.

    `dress`, if given, may add dates, statuses, assignees or teams to each spec before the load
    (its key starts with the project's `p<n>`); without it the items carry titles and progress.
    """
    if office is None:
        office = Organization.objects.create(name=f"Bench office {seed}", acronym="BENCH")
    specs: list[NewItem] = []
    per_project = 213
    projects = max(2, (total - 1001) // per_project)
    rng = random.Random(seed)
    for p in range(projects):
        key = f"p{p}"
        specs.append(NewItem(key, "project", f"Project {p}", organization_id=office.pk))
        _grow(specs, key, "project", rng)
    specs.append(NewItem("big", "activity", "Big activity", parent_key="p0/0"))
    for t in range(50):
        specs.append(NewItem(f"big/{t}", "task", f"Big task {t}", parent_key="big"))
        for s in range(19):
            specs.append(
                NewItem(f"big/{t}/{s}", "subtask", f"Big subtask {s}", parent_key=f"big/{t}")
            )
    if dress is not None:
        for spec in specs:
            dress(spec)
    ids = bulk_create_items(specs, batch_size=5000)
    by_type: dict[str, list[int]] = {}
    for spec in specs:
        by_type.setdefault(spec.work_type, []).append(ids[spec.key])
    by_type["big"] = [ids["big"]]
    # Two sub-projects in different trees: a move between them relocates the whole subtree.
    by_type["move_targets"] = [ids["p0/0"], ids["p1/0"]]
    return by_type


def _grow(specs: list[NewItem], parent_key: str, parent_type: str, rng: random.Random) -> None:
    if parent_type not in FAN_OUT:
        return
    child_type, count = FAN_OUT[parent_type]
    for n in range(count):
        key = f"{parent_key}/{n}"
        fields = {"progress": rng.randint(0, 100)} if child_type == "subtask" else {}
        specs.append(
            NewItem(
                key,
                child_type,
                f"{child_type} {n}",
                parent_key=key.rsplit("/", 1)[0],
                fields=fields,
            )
        )
        _grow(specs, key, child_type, rng)


def measure(name: str, runs: int, action: Callable[[int], object]) -> Result:
    timings: list[float] = []
    queries: list[int] = []
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action(n)
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured.captured_queries))
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return Result(name, runs, statistics.median(timings), p95, max(queries))


def run_scenarios(ids: dict[str, list[int]], seed: int = 11) -> list[Result]:
    rng = random.Random(seed)
    tasks = ids["task"]
    leaves = ids["subtask"]
    big = ids["big"][0]
    first, second = ids["move_targets"]
    results = [
        measure(
            "create a leaf at depth 6",
            50,
            lambda n: create_work_item(
                None, work_type="subtask", title=f"Bench leaf {n}", parent=rng.choice(tasks)
            ),
        ),
        measure(
            "move a 1,001-item subtree to another tree",
            20,
            lambda n: move_work_item(None, big, parent=second if n % 2 == 0 else first),
        ),
        measure(
            "roll-up after a leaf change (5 levels)",
            50,
            lambda n: update_work_item(None, rng.choice(leaves), progress=(n * 37) % 101),
        ),
        measure("ancestors of a leaf", 200, lambda n: ancestors(WorkItem(pk=rng.choice(leaves)))),
    ]
    return results
