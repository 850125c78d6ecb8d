"""`--jobs N`: the pipeline's executor in worker processes (`pipeline.py`). Each file is loaded, checked
and released there by the same `pipeline.Step` as with one job; the parent gets back each file's outcome (its
findings, index entries and calendar dates, and of the file only what later stages need) and runs the
repository rules, which must see every file's index entries.

Work is split into contiguous slices of the sorted targets and put back together in order, so the
findings (sorted the same way afterwards) are identical to one job's. The step (with its engine) goes to
each process once; on Linux workers are forked and inherit it, elsewhere it is sent to them at start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smlint.clausedirs import use
from smlint.discovery import Target
from smlint.pipeline import Checked, Step

FILES_PER_JOB = 200  # below this many files per process, starting a worker costs more than it saves
SLICES_PER_JOB = 16  # many small slices: the last one to finish keeps the others waiting least


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


_step: Step | None = None
_slices: Sequence[Sequence[Target]] = ()
_claims: Any = None  # a shared [front, back) pair of slice indexes, with its lock


def _start_worker(step: Step, slices: Sequence[Sequence[Target]], claims: Any) -> None:
    global _step, _slices, _claims
    _step, _slices, _claims = step, slices, claims


def _start_worker_process(step: Step, slices: Sequence[Sequence[Target]], claims: Any,
                          rules_dirs: Sequence[Path]) -> None:
    """A worker process checks one run's files: it reads prose policies with that run's clause families."""
    use(rules_dirs)
    _start_worker(step, slices, claims)


def _claim(front: bool) -> int | None:
    """The next unchecked slice: workers take from the front, the parent from the back; None when none
    is left."""
    with _claims.get_lock():
        first, end = _claims[0], _claims[1]
        if first >= end:
            return None
        if front:
            _claims[0] = first + 1
            return int(first)
        _claims[1] = end - 1
        return int(end - 1)


def _check_claimed() -> tuple[int, list[Checked]] | None:
    """A worker's task: check the next slice from the front, if any is left."""
    index = _claim(front=True)
    return None if index is None else (index, _check_slice(_slices[index]))


def _check_slice(targets: Sequence[Target]) -> list[Checked]:
    assert _step is not None
    return [_step(target) for target in targets]


def _split(targets: Sequence[Target], count: int) -> list[Sequence[Target]]:
    size = max(1, -(-len(targets) // count))
    return [targets[i : i + size] for i in range(0, len(targets), size)]


def map_in_processes(step: Step, targets: Sequence[Target], jobs: int,
                     rules_dirs: Sequence[Path] = ()) -> list[Checked]:
    """`step` over every target, in target order, from `jobs` processes (`pipeline.Executor`).

    The parent is one of them. The targets are cut into many small slices; workers claim slices from the
    front and the parent from the back of one shared counter, so nobody waits while a slice is left and
    the last ones finish together. (A pool's own queue will not do: it hands a worker its next task before
    the worker asks, and that task can no longer be taken back.) What the parent checks is never copied
    between processes.
    """
    import multiprocessing  # here, not at the top: a one-file check never needs them
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    slices = _split(targets, jobs * SLICES_PER_JOB)
    claims = context.Array("i", [0, len(slices)])
    _start_worker(step, slices, claims)
    with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_start_worker_process,
                             initargs=(step, slices, claims, tuple(rules_dirs))) as pool:
        tasks = [pool.submit(_check_claimed) for _ in slices]
        done: dict[int, list[Checked]] = {}
        while (index := _claim(front=False)) is not None:
            done[index] = _check_slice(slices[index])
        for task in tasks:
            claimed = None if task.cancel() else task.result()
            if claimed is not None:
                done[claimed[0]] = claimed[1]
    return [item for i in range(len(slices)) for item in done[i]]
