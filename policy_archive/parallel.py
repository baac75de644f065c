"""Work across cores: a result computed beside the build, and a map over many items.

Both fork the process. Children inherit everything already in memory (the archive, the
rendered texts, the compiled templates), so nothing is sent to them; each sends back its
results pickled through a pipe (and a byte per item done, for the progress bar): in a map,
each item's result as soon as it is done, so that the parent takes it in between its own
items rather than all at the end (5 MB of diff views took ~35 ms to pass at the end). Results
are put back in input order, so the output never depends on how the work was split. With
``jobs=1``, or where there is no ``fork``, everything runs in this process, in order.

Only fork from a process that runs no other threads (``serve`` rebuilds with ``jobs=1``
once its server threads run).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from .errors import ContentError

T = TypeVar("T")
R = TypeVar("R")
Tick = Callable[[int], None]
CAN_FORK = hasattr(os, "fork")
_MAX_TICKS = 30_000  # a pipe holds 64 KiB: never block a child on progress bytes
_PIPE_SIZE = 1 << 20  # asked for a child's pipe (Linux): a few results wait in it unread
_ITEM = b"+"  # then 8 bytes of length (little endian) and one pickled result of a map
_FINAL = b"="  # then the pickled result, up to the end of the stream


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def jobs_for(jobs: int | None) -> int:
    """``None`` means one worker per core."""
    n = cpu_count() if jobs is None or jobs <= 0 else jobs
    return n if CAN_FORK else 1


class Deferred(Generic[T]):
    """A value that is computed elsewhere (or later) and asked for with :meth:`result`."""

    def result(self, tick: Tick | None = None) -> T:
        raise NotImplementedError

    def cancel(self) -> None:
        """Stop the work if it is still running (after an error elsewhere)."""


class _Later(Deferred[T]):
    """Computed in this process when first asked for."""

    def __init__(self, fn: Callable[[Tick], T]) -> None:
        self.fn = fn
        self.done = False
        self.value: T | None = None

    def result(self, tick: Tick | None = None) -> T:
        if not self.done:
            self.value = self.fn(tick or (lambda n: None))
            self.done = True
        return self.value  # type: ignore[return-value]


class _Child(Deferred[T]):
    """Computed in a forked child; the parent reads ticks, the items the child sent as it
    went (:meth:`items`), then the pickled result."""

    def __init__(self, fn: Callable[[Tick], T]) -> None:
        self.fn = fn
        read, write = os.pipe()
        _grow(write)
        self.spill = _memory_file()
        gc.freeze()  # children do not touch (and so copy) the parent's objects when collecting
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            _child_main(write, fn, self.spill)
        gc.unfreeze()
        os.close(write)
        self.pid: int | None = pid
        self.fd = read
        self.spilled = 0  # bytes of the spill file taken
        self.buffer = bytearray()  # received, not yet taken apart
        self.payload: list[bytes] = []
        self.in_payload = False
        self.sent: list[Any] = []  # items sent by the child, not yet taken by items()
        self.done = False
        self.value: T | None = None

    def _take(self, data: bytes, tick: Tick | None) -> None:
        if self.in_payload:
            self.payload.append(data)
            return
        buf = self.buffer
        buf += data
        at = 0
        while at < len(buf):
            mark = buf[at:at + 1]
            if mark == b".":
                end = at
                while end < len(buf) and buf[end] == 46:  # "."
                    end += 1
                if tick is not None:
                    tick(end - at)
                at = end
            elif mark == _ITEM:
                if len(buf) < at + 9:
                    break
                size = int.from_bytes(buf[at + 1:at + 9], "little")
                if self.spill is not None:  # the item is in the spill file
                    self.sent.append(pickle.loads(_read_at(self.spill, self.spilled, size)))
                    self.spilled += size
                    at += 9
                    continue
                if len(buf) < at + 9 + size:
                    break
                self.sent.append(pickle.loads(buf[at + 9:at + 9 + size]))
                at += 9 + size
            else:  # _FINAL: the rest of the stream is the result
                self.in_payload = True
                self.payload.append(bytes(buf[at + 1:]))
                at = len(buf)
        del buf[:at]

    def poll(self, tick: Tick | None) -> None:
        """Read what the child has sent so far, without waiting."""
        if self.pid is None:
            return
        while select.select([self.fd], [], [], 0)[0]:
            data = os.read(self.fd, _PIPE_SIZE)
            if not data:
                return
            self._take(data, tick)

    def items(self) -> list[Any]:
        """The items the child sent (:meth:`_Channel.send`) and this process read since the
        last call."""
        taken, self.sent = self.sent, []
        return taken

    def result(self, tick: Tick | None = None) -> T:
        if not self.done:
            self.value = self._receive(tick)
            self.done = True
        return self.value  # type: ignore[return-value]

    def _receive(self, tick: Tick | None) -> T:
        try:
            while True:
                data = os.read(self.fd, _PIPE_SIZE)
                if not data:
                    break
                self._take(data, tick)
        finally:
            self._reap()
        payload = b"".join(self.payload)
        self.payload = []
        try:
            kind, value = pickle.loads(payload)
        except Exception:  # the child died (killed, out of memory): do the work here
            return self.fn(tick or (lambda n: None))
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "content":
            raise ContentError(value)
        raise value

    def _reap(self) -> None:
        if self.pid is not None:
            os.close(self.fd)
            os.waitpid(self.pid, 0)
            self.pid = None
        if self.spill is not None:
            os.close(self.spill)
            self.spill = None

    def cancel(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()


def _grow(fd: int) -> None:
    """Ask for a larger pipe buffer (Linux), so that a child seldom waits for the parent."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass


def _memory_file() -> int | None:
    """A file in memory (Linux) for a child's results: the child writes them there and only
    their lengths through its pipe, so it never waits for the parent to read (through a
    pipe, the diffs and pages of the English archive kept a child waiting ~0.1 s in all)."""
    try:
        return os.memfd_create("policy-archive-results", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None


def _read_at(fd: int, offset: int, size: int) -> bytes:
    parts = []
    while size > 0:
        part = os.pread(fd, size, offset)
        if not part:
            raise EOFError("a child's result was cut short")
        parts.append(part)
        offset += len(part)
        size -= len(part)
    return b"".join(parts)


class _Channel:
    """What a child's work is given: called, it reports items done (for the progress bar);
    :meth:`send` sends one result ahead of the final one (into ``spill``, when given, and
    only its length through the pipe)."""

    def __init__(self, write: int, spill: int | None = None) -> None:
        self.write = write
        self.spill = spill
        self.ticks = 0

    def __call__(self, n: int = 1) -> None:
        if self.ticks < _MAX_TICKS:
            _write_all(self.write, b"." * n)
            self.ticks += n

    def send(self, item: Any) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        if self.spill is not None:
            _write_all(self.spill, data)
        _write_all(self.write, _ITEM + len(data).to_bytes(8, "little"))
        if self.spill is None:
            _write_all(self.write, data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _child_main(write: int, fn: Callable[[Tick], Any], spill: int | None = None) -> None:
    """Run ``fn`` and send its result (or its exception); never return."""
    code = 0
    try:
        try:
            result: tuple[str, Any] = ("ok", fn(_Channel(write, spill)))
        except ContentError as e:
            result = ("content", e.problems)
        except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
            result = ("error", e)
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            import traceback

            data = pickle.dumps(("error", RuntimeError(traceback.format_exc())))
        _write_all(write, _FINAL + data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def background(fn: Callable[..., T], *args: Any, fork: bool = True) -> Deferred[T]:
    """``fn(*args)`` computed in a child process while this one goes on (in this process,
    when asked for, if ``fork`` is false or impossible)."""
    if fork and CAN_FORK:
        return _Child(lambda tick: fn(*args))
    return _Later(lambda tick: fn(*args))


def map_items(fn: Callable[[T], R], items: Sequence[T], *, jobs: int,
              tick: Tick | None = None, cost: Callable[[int], float] | None = None,
              runs_per_job: int = 0,
              on_result: Callable[[int, R], None] | None = None,
              side: Callable[[], object] | None = None) -> list[R]:
    """``[fn(x) for x in items]`` computed by ``jobs`` processes (this one included).

    The work is not dealt out in advance: the item numbers wait in a pipe, costliest first
    (by ``cost(i)``, when given), and each process takes the next one when it is free, so that
    a few expensive items do not leave one process working while the others wait. (A read of
    four bytes from a pipe is atomic: no item is taken twice.) With ``runs_per_job``, what
    waits in the pipe are runs of neighbouring items (in input order) of about equal cost,
    that many per process: neighbours share what a process keeps in memory (two versions of
    a text share most parsed chunks and compared blocks), which items taken one at a time by
    turns would not; with two processes and ``runs_per_job``, they take items one at a time
    from the two ends of the list instead, until they meet (each does one run of neighbours,
    and the work is balanced to the last item). ``tick(n)`` is called as items are done, in
    any process. An item a child took but did not return (the child died) is computed here.
    ``on_result(i, value)`` is called here once for every item: for an item done here as
    soon as it is done (every child is started by then, so it may start a thread), for the
    others as they come back. ``side()`` is other work this process does once its children
    are started, before it takes items (with one process, before the items): the children
    start on the items at once, and this process takes fewer of them. When it returns an
    iterator (a generator), the results that came back are taken in between its steps (so
    that they are not all taken at the end; without a memory file for results, a child
    whose results fill its pipe would wait)."""
    n = min(jobs, len(items)) if CAN_FORK else 1
    report = tick or (lambda k: None)
    deliver = on_result or (lambda i, value: None)
    if n <= 1:
        if side is not None:
            run_side(side)
        out = []
        for i, x in enumerate(items):
            out.append(fn(x))
            report(1)
            deliver(i, out[-1])
        return out
    if n == 2 and runs_per_job:
        ends = _Ends.make(len(items))
        if ends is not None:
            return _map_from_both_ends(fn, items, ends, report, deliver, side)
    runs = (_runs(len(items), n * runs_per_job, cost) if runs_per_job
            else [[i] for i in range(len(items))])
    if cost:
        run_cost = [sum(cost(i) for i in run) for run in runs]
        order: Sequence[int] = sorted(range(len(runs)), key=lambda r: -run_cost[r])
    else:
        order = range(len(runs))
    tickets = b"".join(r.to_bytes(4, "little") for r in order)
    read, write = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, max(len(tickets), 4096))
    except (ImportError, AttributeError, OSError):
        pass
    if len(tickets) > _pipe_size(write):  # more items than the pipe holds: fill it later
        os.close(read)
        os.close(write)
        dealt = _map_dealt(fn, items, n, report, side)
        for i, value in enumerate(dealt):
            deliver(i, value)
        return dealt
    os.write(write, tickets)
    os.close(write)

    def runs_taken() -> Iterator[int]:
        """The items of the runs this process takes from the pipe (a read of four bytes from
        a pipe is atomic: no run is taken twice)."""
        while len(data := os.read(read, 4)) == 4:
            yield from runs[int.from_bytes(data, "little")]

    try:
        return _shared(fn, items, n, runs_taken, runs_taken, report, deliver, side)
    finally:
        os.close(read)


class _Ends:
    """The items not yet taken, ``front`` up to ``back``, in memory shared with a child and
    under a lock the kernel drops if its holder dies (``lockf`` on a memory file)."""

    def __init__(self, fd: int, shared: Any) -> None:
        self.fd = fd
        self.shared = shared

    @classmethod
    def make(cls, count: int) -> _Ends | None:
        """None where there is no memory file or lock (the pipe of runs is used instead)."""
        try:
            import fcntl
            import mmap

            fd = os.memfd_create("policy-archive-items", os.MFD_CLOEXEC)
        except (ImportError, AttributeError, OSError):
            return None
        try:
            os.ftruncate(fd, 16)
            fcntl.lockf(fd, fcntl.LOCK_EX)
            fcntl.lockf(fd, fcntl.LOCK_UN)
            ends = cls(fd, mmap.mmap(fd, 16))
        except OSError:
            os.close(fd)
            return None
        ends.shared[:] = (0).to_bytes(8, "little") + count.to_bytes(8, "little")
        return ends

    def take(self, from_front: bool) -> int | None:
        """The next item from the front (a child) or from the back (this process)."""
        import fcntl

        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            front = int.from_bytes(self.shared[0:8], "little")
            back = int.from_bytes(self.shared[8:16], "little")
            if front >= back:
                return None
            if from_front:
                self.shared[0:8] = (front + 1).to_bytes(8, "little")
                return front
            self.shared[8:16] = (back - 1).to_bytes(8, "little")
            return back - 1
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.shared.close()
        os.close(self.fd)


def _map_from_both_ends(fn: Callable[[T], R], items: Sequence[T], ends: _Ends, report: Tick,
                        deliver: Callable[[int, R], None],
                        side: Callable[[], object] | None) -> list[R]:
    """:func:`map_items` in two processes that take items from the two ends of the list, one
    at a time, until they meet: each does a run of neighbours (which share parsed chunks and
    compared blocks), and neither waits for the other at the end for more than one item."""

    def from_front() -> Iterator[int]:
        return iter(lambda: ends.take(from_front=True), None)

    def from_back() -> Iterator[int]:
        return iter(lambda: ends.take(from_front=False), None)

    try:
        return _shared(fn, items, 2, from_front, from_back, report, deliver, side)
    finally:
        ends.close()


def _shared(fn: Callable[[T], R], items: Sequence[T], n: int,
            children_take: Callable[[], Iterator[int]], here_take: Callable[[], Iterator[int]],
            report: Tick, deliver: Callable[[int, R], None],
            side: Callable[[], object] | None) -> list[R]:
    """``fn`` over ``items`` in ``n`` processes: ``n - 1`` children, each doing the items
    ``children_take()`` gives it, and this one, which does ``side()`` first, then the items
    ``here_take()`` gives it, taking the children's results in between."""
    results: dict[int, R] = {}

    def work(t: Tick) -> None:
        """In a child, each result is sent as soon as it is done; here (the child died
        before it could send its final result), the items left are done here."""
        for i in children_take():
            value = fn(items[i])
            if isinstance(t, _Channel):
                t.send((i, value))
            else:
                results[i] = value
                deliver(i, value)
            t(1)

    children: list[_Child[None]] = [_Child(work) for _ in range(n - 1)]

    def collect() -> None:
        for child in children:
            child.poll(report)
            for i, value in child.items():
                results[i] = value
                deliver(i, value)

    try:
        if side is not None:
            run_side(side, collect)
            collect()
        for i in here_take():
            results[i] = fn(items[i])
            report(1)
            deliver(i, results[i])
            collect()
        for child in children:
            child.result(report)
        collect()
        for i in range(len(items)):
            if i not in results:  # taken by a child that died
                results[i] = fn(items[i])
                deliver(i, results[i])
        return [results[i] for i in range(len(items))]
    finally:
        for child in children:
            child.cancel()


def run_side(side: Callable[[], object], between: Callable[[], None] | None = None) -> None:
    """Run ``side()``, and ``between()`` after each step if it is a generator."""
    steps = side()
    if isinstance(steps, Iterator):
        for _ in steps:
            if between is not None:
                between()


def _runs(count: int, wanted: int, cost: Callable[[int], float] | None) -> list[list[int]]:
    """``range(count)`` cut into at most ``wanted`` runs of neighbours of about equal cost."""
    weights = [max(cost(i), 0.0) if cost else 1.0 for i in range(count)]
    total = sum(weights) or 1.0
    runs: list[list[int]] = [[]]
    done = 0.0
    for i, w in enumerate(weights):
        if runs[-1] and len(runs) < wanted and done + w / 2 > total * len(runs) / wanted:
            runs.append([])
        runs[-1].append(i)
        done += w
    return runs


def _pipe_size(fd: int) -> int:
    try:
        import fcntl

        return int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ))
    except (ImportError, AttributeError, OSError):
        return 65536


def _map_dealt(fn: Callable[[T], R], items: Sequence[T], n: int, report: Tick,
               side: Callable[[], object] | None) -> list[R]:
    """:func:`map_items` for very many items: dealt round-robin in advance (``side()``
    once the children are forked: it may start a thread)."""
    shares = [list(range(k, len(items), n)) for k in range(n)]

    def work(share: list[int]) -> Callable[[Tick], list[R]]:
        def run(t: Tick) -> list[R]:
            done = []
            for i in share:
                done.append(fn(items[i]))
                t(1)
            return done
        return run

    children = [_Child(work(share)) for share in shares[1:]]

    def poll() -> None:
        for child in children:
            child.poll(report)

    try:
        if side is not None:
            run_side(side, poll)
        results: list[Any] = [None] * len(items)
        for i in shares[0]:
            results[i] = fn(items[i])
            report(1)
            poll()
        for child, share in zip(children, shares[1:]):
            for i, value in zip(share, child.result(report)):
                results[i] = value
        return results
    finally:
        for child in children:
            child.cancel()
