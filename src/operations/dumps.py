"""What a backup file holds, read without touching any database.

The deployment checklist makes two kinds of backup by hand: `pg_dump obcms_prod > backup_….sql`
(a plain SQL script) and `cp src/db.sqlite3 src/db.sqlite3.backup.YYYYMMDD` (a SQLite file);
`backup_database` makes a custom-format `.dump` or a `.sqlite3` copy with a checksum beside it.
Before anyone relies on one — the pre-deployment check or a rollback — this module says whether
it is complete and, for a rollback, how many rows of each table it holds, so the restored
database can be compared with the file.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PLAIN_HEADER = "-- PostgreSQL database dump"
PLAIN_TRAILER = "-- PostgreSQL database dump complete"
SQLITE_MAGIC = b"SQLite format 3\x00"
CUSTOM_MAGIC = b"PGDMP"
_COPY = re.compile(
    r"^COPY (?:\"?(?P<schema>[\w]+)\"?\.)?\"?(?P<table>[\w]+)\"? \(.*\) FROM stdin;$"
)


class DumpError(ValueError):
    """The file is not a usable backup; the message says why in one line."""


@dataclass
class DumpContents:
    """A backup file that was read to its end: its kind and its rows per table."""

    path: Path
    kind: str  # "plain", "custom" or "sqlite"
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def kind_of(path: Path) -> str:
    """ "plain", "custom" or "sqlite" by the file's first bytes (never by its name)."""
    if not path.is_file():
        raise DumpError(f"{path} does not exist or is not a file.")
    if path.stat().st_size == 0:
        raise DumpError(f"{path.name} is empty.")
    with path.open("rb") as handle:
        start = handle.read(4096)
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(CUSTOM_MAGIC):
        return "custom"
    if PLAIN_HEADER.encode() in start:
        return "plain"
    raise DumpError(f"{path.name} is neither a PostgreSQL dump nor a SQLite database.")


def quick_check(path: Path) -> str:
    """Whether the file is a complete backup, cheaply (its ends only); returns its kind."""
    kind = kind_of(path)
    if kind == "plain":
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 4096))
            tail = handle.read().decode("utf-8", "replace")
        if PLAIN_TRAILER not in tail:
            raise DumpError(f"{path.name} is truncated: it does not end with '{PLAIN_TRAILER}'.")
    elif kind == "sqlite":
        _sqlite_rows(path, check="quick_check")
    else:
        _custom_listing(path)
    return kind


def read_contents(path: Path) -> DumpContents:
    """Read the whole file and count the rows of each table; refuses damaged files."""
    kind = quick_check(path)
    if kind == "sqlite":
        return DumpContents(path, kind, _sqlite_rows(path, check="integrity_check"))
    if kind == "plain":
        with path.open(encoding="utf-8", errors="strict") as handle:
            return DumpContents(path, kind, count_copy_rows(handle, path.name))
    return DumpContents(path, kind, count_copy_rows(custom_as_script(path), path.name))


def count_copy_rows(lines: Iterable[str], name: str) -> dict[str, int]:
    """Rows per table in the COPY blocks of a plain dump; every block must be terminated."""
    rows: dict[str, int] = {}
    table: str | None = None
    complete = False
    try:
        for line in lines:
            if table is not None:
                if line.rstrip("\n") == "\\.":
                    table = None
                else:
                    rows[table] += 1
                continue
            if line.startswith("COPY "):
                match = _COPY.match(line.rstrip("\n"))
                if match is None:
                    raise DumpError(f"{name}: a COPY line cannot be read: {line[:80].strip()}")
                table = match["table"]
                rows.setdefault(table, 0)
            elif line.startswith(PLAIN_TRAILER):
                complete = True
    except UnicodeDecodeError as error:
        raise DumpError(f"{name} is damaged: bytes that are not UTF-8 ({error.reason}).") from None
    if table is not None:
        raise DumpError(f"{name} is truncated inside the data of table {table}.")
    if not complete:
        raise DumpError(f"{name} is truncated: it does not end with '{PLAIN_TRAILER}'.")
    return rows


def custom_as_script(path: Path) -> Iterator[str]:
    """A custom-format dump as the SQL script pg_restore would run (streamed)."""
    if not shutil.which("pg_restore"):
        raise DumpError("pg_restore is not installed (Debian: postgresql-client).")
    process = subprocess.Popen(
        ["pg_restore", "--no-owner", "--file=-", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    yield from process.stdout
    _, errors = process.communicate()
    if process.returncode != 0:
        raise DumpError(f"{path.name} cannot be read: {(errors.strip().splitlines() or ['?'])[-1]}")


def _custom_listing(path: Path) -> None:
    if not shutil.which("pg_restore"):
        raise DumpError("pg_restore is not installed (Debian: postgresql-client).")
    result = subprocess.run(
        ["pg_restore", "--list", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unreadable"])[-1]
        raise DumpError(f"{path.name} is damaged: {reason}")


def _sqlite_rows(path: Path, *, check: str) -> dict[str, int]:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise DumpError(f"{path.name} cannot be opened: {error}") from None
    try:
        verdict = source.execute(f"PRAGMA {check}").fetchone()[0]
        if verdict != "ok":
            raise DumpError(f"{path.name} is damaged: {verdict}")
        tables = [
            name
            for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    except sqlite3.DatabaseError as error:
        raise DumpError(f"{path.name} is damaged: {error}") from None
    finally:
        source.close()
