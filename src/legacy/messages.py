"""Database errors as the one-line reasons the cut-over commands print."""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (drivers add context lines below it)."""
    return (str(exc).strip().splitlines() or [repr(exc)])[0]
