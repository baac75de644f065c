"""Work across cores with the standard library: a map over runs of neighbouring items.

Workers are forked (``concurrent.futures.ProcessPoolExecutor``, fork context), so they
inherit what this process holds (the archive, the rendered texts) and are sent only which
items to do; each returns plain data. Items go out in runs of neighbours, because
consecutive versions share parsed chunks and compared blocks, which each process memoises.
Results come back in input order, so the output never depends on how the work was split.
``jobs=1`` runs everything here, in order. Fork only from a process without other threads
(``serve`` rebuilds with ``jobs=1``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..foundation.errors import WorkerError

R = TypeVar("R")
Tick = Callable[[int], None]

#: Items in a run at most: the last runs, which one process may wait for, stay short.
MAX_RUN = 32

#: What the forked workers run (set before they fork; a closure cannot be pickled).
_work: Callable[[int], Any] | None = None


def jobs_for(jobs: int | None) -> int:
    """``None`` means one process per core this process may run on; 1 without ``fork``."""
    if not hasattr(os, "fork"):
        return 1
    if jobs is not None and jobs > 0:
        return jobs
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def runs(costs: Sequence[float], count: int) -> list[range]:
    """``range(len(costs))`` cut into at most ``count`` consecutive runs of similar cost."""
    if sum(costs) <= 0:
        costs = [1] * len(costs)
    total, start, done = float(sum(costs)), 0, 0.0
    out: list[range] = []
    for i, c in enumerate(costs):
        done += c
        if (done * count >= total * (len(out) + 1) and len(out) < count - 1) \
                or i == len(costs) - 1:
            out.append(range(start, i + 1))
            start = i + 1
    return out


def _run(items: range) -> list[Any]:
    assert _work is not None
    return [_work(i) for i in items]


def map_runs(fn: Callable[[int], R], count: int, *, jobs: int, cost: Callable[[int], float],
             runs_per_job: int = 4, tick: Tick | None = None, what: str = "working") -> list[R]:
    """``[fn(i) for i in range(count)]``, in ``jobs`` processes when ``jobs > 1``: this one
    and ``jobs - 1`` workers, in about ``runs_per_job`` runs of neighbours per process (more,
    of at most :data:`MAX_RUN` items each, when there are many). The
    workers take runs from the front (two each at a time, so that none waits), this process
    from the back, until they meet. A worker that dies raises :class:`.errors.WorkerError`
    (``what``: what it was doing)."""
    tick = tick or (lambda n: None)
    if jobs <= 1 or count <= 1:
        out = []
        for i in range(count):
            out.append(fn(i))
            tick(1)
        return out
    import concurrent.futures as cf
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    global _work
    parts = runs([cost(i) for i in range(count)],
                 max(jobs * runs_per_job, -(-count // MAX_RUN)))
    results: list[list[R]] = [[] for _ in parts]
    front, back = 0, len(parts)
    running: dict[cf.Future[list[R]], int] = {}
    _work = fn
    pool = cf.ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"))
    try:
        while front < back or running:
            while front < back and len(running) < 2 * (jobs - 1):
                running[pool.submit(_run, parts[front])] = front
                front += 1
            if front < back:
                back -= 1
                results[back] = _run(parts[back])
                tick(len(parts[back]))
            finished = [f for f in running if f.done()] if front < back else \
                cf.wait(running, return_when=cf.FIRST_COMPLETED).done
            for future in finished:
                k = running.pop(future)
                results[k] = future.result()
                tick(len(parts[k]))
    except BrokenProcessPool:
        raise WorkerError(f"a worker process died while {what}; nothing was written "
                          "(run again, or with --jobs 1 to work in one process)") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work = None
    return [r for part in results for r in part]
