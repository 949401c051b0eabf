"""The last run of the test suite, as `make test` records it (JUnit XML in test-results/).

The checklist asks for "Tests passing (>95% pass rate)" before deploying; `deployment_check`
reads these files instead of taking it on trust.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


class ResultsError(ValueError):
    """No readable results; the message says why in one line."""


@dataclass(frozen=True)
class SuiteRun:
    name: str
    tests: int
    failed: int
    skipped: int
    finished: dt.datetime

    @property
    def passed(self) -> int:
        return self.tests - self.failed - self.skipped


def read_run(path: Path) -> SuiteRun:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise ResultsError(f"{path.name} cannot be read: {error}") from None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if not suites:
        raise ResultsError(f"{path.name} holds no test suite.")

    def total(attribute: str) -> int:
        return sum(int(s.get(attribute, 0)) for s in suites)

    finished = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return SuiteRun(
        name=path.stem,
        tests=total("tests"),
        failed=total("failures") + total("errors"),
        skipped=total("skipped"),
        finished=finished,
    )


def latest_runs(directory: Path) -> list[SuiteRun]:
    """Every recorded run in `directory` (one file per database the suite ran on)."""
    files = sorted(directory.glob("*.xml")) if directory.is_dir() else []
    if not files:
        raise ResultsError(f"no test results in {directory} (run: make test)")
    return [read_run(path) for path in files]


def pass_rate(runs: list[SuiteRun]) -> float:
    ran = sum(r.tests - r.skipped for r in runs)
    return 100.0 * sum(r.passed for r in runs) / ran if ran else 0.0
