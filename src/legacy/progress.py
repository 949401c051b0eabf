"""A progress bar for long commands, drawn only when the output is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 0), 0
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and total > 0
        self._drawn_at = 0.0

    def advance(self, step: int = 1) -> None:
        self.done += step
        now = time.monotonic()
        if self.enabled and (now - self._drawn_at > 0.1 or self.done >= self.total):
            self._drawn_at = now
            share = min(self.done / self.total, 1.0)
            bar = "█" * int(share * 30)
            self.stream.write(
                f"\r{self.label:<22} [{bar:<30}] {self.done:>7,}/{self.total:,} {share:>4.0%}"
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
