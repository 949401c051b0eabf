"""Progress of long commands: rows done of all, rows per second and the time left.

On a terminal the line is redrawn in place (at most ten times a second); otherwise — a log
file, a pipe, CI — a plain line is written every `every` seconds and one at the end, so a
long run is visibly alive without filling the log.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class Progress:
    def __init__(
        self, label: str, total: int, stream: TextIO | None = None, *, every: float = 10.0
    ) -> None:
        self.label, self.total, self.done = label, max(total, 0), 0
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = total > 0
        self.every = every
        self.started = self._drawn_at = time.monotonic()

    def line(self, now: float | None = None) -> str:
        """`label [bar] done/total share, rows/s, ETA` as of `now`."""
        now = time.monotonic() if now is None else now
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if self.done >= self.total:
            left = f"done in {_duration(elapsed)}"
        elif rate > 0:
            left = f"ETA {_duration((self.total - self.done) / rate)}"
        else:
            left = "ETA –"
        bar = "█" * int(share * 30)
        return (
            f"{self.label:<16} [{bar:<30}] {self.done:>7,}/{self.total:,} {share:>4.0%} "
            f"{rate:>7,.0f} rows/s  {left}"
        )

    def advance(self, step: int = 1) -> None:
        self.done += step
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if now - self._drawn_at > 0.1 or self.done >= self.total:
                self._drawn_at = now
                self.stream.write(f"\r{self.line(now)}\x1b[K")
                self.stream.flush()
        elif now - self._drawn_at >= self.every and self.done < self.total:
            self._drawn_at = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write(f"\r{self.line()}\x1b[K\n")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
