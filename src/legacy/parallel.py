"""Staging over every core: the batches shared between this process and forked helpers.

Staging is Python work (read a batch of old rows, digest, map, encode) with a COPY at the end,
and each batch is its own committed transaction. One process keeps one core busy while
PostgreSQL waits; a 2-core server stages about twice as fast with a second process. Helpers
are forked (not spawned) so they start at once with the run's index and mapping context
already in memory, without setting Django up again or sending the context between processes.

Forking is only safe in a plain process: no open transaction (a dry run stages inside its
own, which a helper's connection could not see), no other thread (a fork copies only the
calling thread, so a lock another thread held would never be released), a database server
(each helper opens its own connection; an in-memory SQLite database cannot be shared), and
Linux's parent-death signal, which ends a helper with its parent: a run killed with `kill -9`
leaves no helper behind to write batches beside the next run. Anything else stages in one
process, as before.

Job *i* goes to process *i* mod *n* (this process is 0), so tables of light rows and heavy
rows are split alike. A helper reports each finished job on a pipe; this process counts them
as they come, so the progress bar moves with all the work. A helper that fails (its database
error, a mapping error) reports the first line of it and exits non-zero, and the run stops
with that reason: the batches already committed stay, as after any interrupted run.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import signal
import sys
import threading
from collections.abc import Callable, Sequence

from django.db import connections

from .errors import MigrationError
from .messages import first_line

_PR_SET_PDEATHSIG = 1


def _death_signal_setter() -> Callable[[], bool] | None:
    """A function that asks Linux to kill the calling process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    return lambda: libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def usable_processes(wanted: int) -> int:
    """How many processes may stage now: `wanted`, or 1 where forking is not safe (see above)."""
    if wanted <= 1 or _death_signal_setter() is None or threading.active_count() > 1:
        return 1
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return 1
    if any(c.vendor == "sqlite" for c in connections.all()):
        return 1
    return wanted


def run_shared[Job](
    jobs: Sequence[Job],
    processes: int,
    work: Callable[[Job], str],
    done: Callable[[Job, str], None],
) -> list[float]:
    """Run `work` on every job over `processes` processes; call `done(job, outcome)` here for
    each, as it finishes. Return the helpers' peak memory in MB (empty when run alone)."""
    if processes <= 1 or len(jobs) < 2:
        for job in jobs:
            done(job, work(job))
        return []
    processes = min(processes, len(jobs))
    connections.close_all()  # each process opens its own; a shared socket would mix replies
    sys.stdout.flush()
    sys.stderr.flush()
    helpers: list[_Helper] = []
    try:
        for index in range(1, processes):
            helpers.append(_Helper.start(jobs, range(index, len(jobs), processes), work))
        for job in jobs[0::processes]:
            done(job, work(job))
            for helper in helpers:
                helper.collect(jobs, done, wait=False)
        for helper in helpers:
            helper.collect(jobs, done, wait=True)
        return [helper.finish() for helper in helpers]
    finally:
        for helper in helpers:
            helper.stop()


class _Helper:
    """One forked staging process and the pipe on which it reports."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid, self.reader = pid, reader
        self.buffer = b""
        self.finished: list[str] = []
        self.exit_status: int | None = None

    @classmethod
    def start[Job](cls, jobs: Sequence[Job], own: range, work: Callable[[Job], str]) -> _Helper:
        """Fork a helper that runs the jobs at the positions `own` of `jobs`."""
        reader, writer = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the helper
            os.close(reader)
            os._exit(_helper_main(parent, jobs, own, work, writer))
        os.close(writer)
        return cls(pid, reader)

    def collect[Job](
        self, jobs: Sequence[Job], done: Callable[[Job, str], None], *, wait: bool
    ) -> None:
        """Count the jobs the helper has reported finished (until it closes its pipe if `wait`)."""
        os.set_blocking(self.reader, wait)
        while True:
            try:
                chunk = os.read(self.reader, 65536)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.buffer += chunk
            *lines, self.buffer = self.buffer.split(b"\n")
            for line in lines:
                kind, _, rest = line.decode().partition(" ")
                if kind == "done":
                    number, outcome = rest.split(" ", 1)
                    done(jobs[int(number)], outcome)
                else:
                    self.finished.append(line.decode())

    def finish(self) -> float:
        """Wait for the helper's exit; its peak memory, or the reason it failed, raised."""
        _, status = os.waitpid(self.pid, 0)
        self.exit_status = status
        report = self.finished[-1] if self.finished else ""
        kind, _, rest = report.partition(" ")
        if os.waitstatus_to_exitcode(status) != 0 or kind != "ok":
            reason = rest if kind == "error" else f"it ended with status {status}"
            raise MigrationError(f"A staging process stopped: {reason}")
        return float(rest)

    def stop(self) -> None:
        """Close the pipe; end and reap the helper if the run is leaving without it."""
        if self.exit_status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.reader)


def _helper_main[Job](
    parent: int, jobs: Sequence[Job], own: range, work: Callable[[Job], str], writer: int
) -> int:
    """The helper's whole life: its share of the jobs, each reported; never returns to the
    caller's code (the fork's child leaves by `os._exit` with this status)."""
    status = 1
    try:
        set_death_signal = _death_signal_setter()
        if set_death_signal is None or not set_death_signal() or os.getppid() != parent:
            raise MigrationError("the run that started it has ended")
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the run, which ends this
        for position in own:
            outcome = work(jobs[position])
            _write(writer, f"done {position} {outcome}\n")
        _write(writer, f"ok {peak_memory_mb():.1f}\n")
        status = 0
    except BaseException as exc:  # every failure, Ctrl-C included, is reported to the run
        with contextlib.suppress(OSError):
            _write(writer, f"error {first_line(exc) or type(exc).__name__}\n")
    finally:
        with contextlib.suppress(Exception):  # the process is ending either way
            connections.close_all()
    return status


def _write(writer: int, line: str) -> None:
    data = line.encode()
    while data:
        data = data[os.write(writer, data) :]


def peak_memory_mb() -> float:
    """This process's peak resident memory since it started, in MB (VmHWM: unlike ru_maxrss, it
    does not carry over the parent's peak across fork and exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
