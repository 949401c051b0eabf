"""Properties: after any schedules and pushes no automatic follower starts too early, and the
critical path is the longest chain a brute-force enumeration finds."""

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common import working_days
from common.models import WorkItem, WorkItemRelation
from common.services import link_dependency, update_work_item
from planning.critical_path import Network, solve
from planning.tests.helpers import MONDAY, dated
from testing.builders import item

DEPENDS_ON = WorkItemRelation.Kind.DEPENDS_ON


@st.composite
def plans(draw):
    """A few items with random dates and modes, random forward links (acyclic) with lags, and
    a random sequence of moves."""
    size = draw(st.integers(2, 7))
    items = [
        (draw(st.integers(0, 40)), draw(st.integers(0, 6)), draw(st.booleans()))
        for _ in range(size)
    ]
    links = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1), st.integers(0, 4)),
            max_size=10,
        )
    )
    links = [(a, b, lag) for a, b, lag in links if a < b]
    moves = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, 60), st.integers(0, 6)), max_size=6
        )
    )
    return items, links, moves


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=plans())
def test_no_automatic_follower_starts_before_its_predecessor_ends_plus_lag(cast, plan):
    items, links, moves = plan
    project = item("project", "Property", organization=cast.office)
    made = [
        dated(
            f"Item {n}",
            project,
            MONDAY + timedelta(days=s),
            MONDAY + timedelta(days=s + d),
            automatic=a,
        )
        for n, (s, d, a) in enumerate(items)
    ]
    for before, after, lag in links:
        link_dependency(None, made[after], made[before], lag_days=lag)
    for index, start, length in moves:
        # An automatic item may not be moved before its predecessors: such a move is refused.
        with contextlib.suppress(ValidationError):
            update_work_item(
                cast.manager,
                made[index],
                start_date=MONDAY + timedelta(days=start),
                due_date=MONDAY + timedelta(days=start + length),
            )
    calendar = working_days.for_organization(cast.office.pk)
    rows = {w.pk: w for w in WorkItem.objects.filter(parent=project)}
    for follower, predecessor, lag in WorkItemRelation.objects.filter(
        kind=DEPENDS_ON, source__parent=project
    ).values_list("source_id", "target_id", "lag_days"):
        after, before = rows[follower], rows[predecessor]
        if after.scheduling_mode == "automatic":
            assert after.start_date >= calendar.first_start_after(before.due_date, lag)
            assert after.start_date <= after.due_date


def brute_force_longest(durations: dict[int, int], links: list[tuple[int, int, int]]) -> int:
    """Enumerate every path and keep the longest (durations plus lags)."""
    following: dict[int, list[tuple[int, int]]] = {pk: [] for pk in durations}
    for before, after, lag in links:
        following[before].append((after, lag))

    def longest_from(pk: int) -> int:
        return durations[pk] + max((lag + longest_from(n) for n, lag in following[pk]), default=0)

    return max((longest_from(pk) for pk in durations), default=0)


@settings(max_examples=300, deadline=None)
@given(
    durations=st.lists(st.integers(1, 9), min_size=1, max_size=9),
    raw_links=st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.integers(0, 3)), max_size=16
    ),
)
def test_the_critical_path_equals_a_brute_force_longest_path(durations, raw_links):
    nodes = dict(enumerate(durations, start=1))
    links = list(
        {(a + 1, b + 1): lag for a, b, lag in raw_links if a < b and b < len(durations)}.items()
    )
    links = [(a, b, lag) for (a, b), lag in links]
    result = solve(Network(nodes, links))
    assert result.length == brute_force_longest(nodes, links)
    # The path is a real chain of links whose durations and lags add up to the length.
    lag_of = {(a, b): lag for a, b, lag in links}
    total = sum(nodes[pk] for pk in result.path) + sum(
        lag_of[(a, b)] for a, b in zip(result.path, result.path[1:], strict=False)
    )
    assert total == result.length
    assert all(result.slack[pk] == 0 for pk in result.path)
    assert all(value >= 0 for value in result.slack.values())
