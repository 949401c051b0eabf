"""The verification report as Markdown, for WORKITEM_MIGRATION_COMPLETE.md.

`verify_workitem_migration --markdown FILE` renders the same result `--json` prints and puts it
between the file's two markers, so the document's numbers are always the last verification's
and never typed by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .sources import LABEL, ORDER

START = "<!-- verification:start (written by verify_workitem_migration --markdown) -->"
END = "<!-- verification:end -->"


def render(report: dict[str, Any]) -> str:
    rows, items = report["legacy_rows"], report["migrated_items"]
    lines = [
        "| old tracker | table | legacy rows | work items |",
        "|---|---|---:|---:|",
        *(
            f"| {LABEL[source]} | `{source}` | {rows[source]:,} | {items[source]:,} |"
            for source in ORDER
        ),
        f"| **all** | | **{sum(rows.values()):,}** | **{sum(items.values()):,}** |",
        "",
        "| check | found |",
        "|---|---:|",
        f"| rows without a work item (missing) | {len(report['missing'])} |",
        f"| work items whose row is gone (orphaned) | {len(report['orphaned'])} |",
        f"| rows whose fields differ from their item (drifted) | {len(report['drifted'])} |",
        f"| task dependencies not linked | {len(report['missing_dependencies'])} |",
        f"| dual-write entries pending / failed | {report['dual_write_outbox'].get('pending', 0)}"
        f" / {report['dual_write_outbox'].get('failed', 0)} |",
        _conversation_row(report.get("conversation") or {}),
        "",
    ]
    if report.get("archive"):
        lines.append(
            f"The legacy rows were archived to `{report['archive']['path']}` and removed on "
            f"{report['archive']['deleted_at'][:10]}; their work items are kept."
        )
        lines.append("")
    flags = ", ".join(f"`{n}={int(v)}`" for n, v in report.get("flags", {}).items())
    verdict = (
        "**Verified: every legacy row matches its work item.**"
        if report["clean"]
        else "**Not verified: the discrepancies above must be resolved.**"
    )
    lines.append(f"{verdict} Flags at verification: {flags}.")
    return "\n".join(lines)


def _conversation_row(counts: dict[str, Any]) -> str:
    expected, present = counts.get("expected", 0), counts.get("present")
    shown = "not counted" if present is None else f"{present:,} of {expected:,}"
    return f"| old conversation entries in the activity streams | {shown} |"


def write_into(path: Path, report: dict[str, Any]) -> None:
    """Replace the block between the markers in `path` (appending it if there is none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{render(report)}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + ("\n\n" if text else "") + block + "\n"
    path.write_text(text, encoding="utf-8")
