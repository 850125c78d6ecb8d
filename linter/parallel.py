"""`--jobs N`: files are loaded and checked on their own in worker processes; the parent gets every
file's documents back and runs the repository rules, which must see all of them.

Work is split into contiguous slices of the sorted targets and put back together in order, so the
findings (sorted the same way afterwards) are identical to one job's. Each process builds its engine
once; on Linux workers are forked and inherit the rule set, elsewhere it is sent to them once at
start-up. Documents travel back cheaply because positions are flat tuples (`document.Positions`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from smlint.discovery import Target
from smlint.engine import Engine
from smlint.loader import Limits, LoadResult, load_file
from smlint.model import Finding

FILES_PER_JOB = 200  # below this many files per process, starting a worker costs more than it saves
SLICES_PER_JOB = 4  # smaller slices than workers, so that a slow slice does not leave a CPU idle


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def busy_cpus() -> int:
    """CPUs other processes are using now: on Linux the runnable tasks in /proc/loadavg, this one
    excepted (least of three readings, so a passing blip does not count); elsewhere the one-minute load
    average, which lags and also counts whatever ran here a moment ago."""
    try:
        readings = [int(Path("/proc/loadavg").read_text().split()[3].split("/")[0]) - 1 for _ in range(3)]
        return max(0, min(readings))
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.getloadavg()[0])
    except (AttributeError, OSError):  # no load average on this platform
        return 0


def idle_cpus() -> int:
    """CPUs not already busy. On a machine that is busy anyway, extra processes only add the cost of
    sending documents between them."""
    return max(1, available_cpus() - busy_cpus())


def default_jobs(files: int) -> int:
    """One process per idle CPU for large trees; one job for fewer than `FILES_PER_JOB` x 2 files."""
    return max(1, min(idle_cpus(), files // FILES_PER_JOB))


_engine: Engine | None = None
_limits: Limits | None = None

Checked = list[tuple[LoadResult, list[Finding], bool]]  # result, its own findings, whether its check ran


def _start_worker(engine: Engine, limits: Limits) -> None:
    global _engine, _limits
    _engine, _limits = engine, limits


def _check_slice(targets: Sequence[Target]) -> Checked:
    assert _engine is not None and _limits is not None
    checked = []
    for target in targets:
        result = load_file(target.file, target.display, _limits, target.kind)
        findings, documents = _engine.check_file(result)
        checked.append((result, findings, documents is not None))
    return checked


def _slices(targets: Sequence[Target], count: int) -> list[Sequence[Target]]:
    size = max(1, -(-len(targets) // count))
    return [targets[i : i + size] for i in range(0, len(targets), size)]


def load_and_check(targets: Sequence[Target], jobs: int, engine: Engine, limits: Limits) -> Checked:
    """Each target's `LoadResult` with its per-file findings (`Engine.check_file`) and whether that check
    ran, in target order, from `jobs` processes.

    The parent is one of them: it starts `jobs - 1` workers, queues every slice for them, then takes
    slices from the back of the queue itself while the workers take from the front. What the parent
    checks is never copied between processes, and neither side waits while slices remain.
    """
    import multiprocessing  # here, not at the top: a one-file check never needs them
    from concurrent.futures import Future, ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    slices = _slices(targets, jobs * SLICES_PER_JOB)
    _start_worker(engine, limits)
    with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                             initargs=(engine, limits)) as pool:
        queued: list[Future[Checked]] = [pool.submit(_check_slice, part) for part in slices]
        done: dict[int, Checked] = {}
        for index in reversed(range(len(slices))):
            if queued[index].cancel():
                done[index] = _check_slice(slices[index])
        return [item for i in range(len(slices)) for item in (done[i] if i in done else queued[i].result())]
