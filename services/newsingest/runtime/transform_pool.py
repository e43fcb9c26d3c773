"""Transforms in several processes for one worker (``NEWSINGEST_CONCURRENCY`` above 1).

A stage's transform is pure Python and holds the interpreter lock, so one worker process uses one
core. The pool forks ``processes`` copies of the worker once its models are loaded: the copies share
the loaded pages copy-on-write (the loads are frozen out of the cyclic collector, so it does not
touch and copy them), and each applies its own per-message time limit in its main thread. Results
come back in input order, so outputs, dead letters and commits keep the order of the input. Messages
cross the process boundary pickled, a few at a time (:data:`CHUNK`): handed out one at a time, 2,000
extract messages cost the worker's own process 0.27–0.37 ms each, in chunks of 8 0.13–0.20 ms (two
processes), and the worker's own process is the one part of it that more processes do not multiply.

The processes are forked before the worker starts its Kafka thread (its metrics server's thread is
already serving; the copies never touch metrics). If one dies (killed for memory, or a crash in C),
the pool is broken: the messages it held are transformed in the worker's own process, as they would
be without a pool, and a new pool is forked for the next batch (the Kafka thread is running by then;
the copies only ever run transforms, which take none of its locks).
Each copy ignores SIGINT and SIGTERM (the worker stops them) and, on Linux, is killed when the worker dies.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Generic, TypeVar

from newsingest.runtime import linux
from newsingest.runtime.logs import get_logger

M = TypeVar("M")
R = TypeVar("R")

_transform: Callable[[object], object] | None = None  # the pool's, set just before it forks


CHUNK = 8  # messages handed to a process at once, at most
CHUNK_SECONDS = 0.1  # a process gives back a chunk's results so far once it has taken this long (wall time)


def _run(messages: Sequence[object]) -> list[object]:
    """The results of ``messages``' first few: all of them, or as many as took :data:`CHUNK_SECONDS`."""
    assert _transform is not None, "the pool forks after its transform is set"
    results = []
    started = time.monotonic()
    for message in messages:
        results.append(_transform(message))
        if time.monotonic() - started > CHUNK_SECONDS:
            break
    return results


def _started() -> None:
    """In each forked copy: leave stopping to the worker, and die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    linux.die_with_parent()


def _ready() -> bool:
    return True


class TransformPool(Generic[M, R]):
    """``transform`` applied in ``processes`` forked processes, results in input order."""

    def __init__(self, transform: Callable[[M], R], processes: int, *, stage: str, on_death: Callable[[], object] | None = None) -> None:
        self.transform = transform
        self._on_death = on_death  # called when a process has died (the worker counts it)
        self.processes = processes
        self.log = get_logger(stage=stage, component="transform_pool")
        self._executor = self._fork()

    def _fork(self) -> ProcessPoolExecutor:
        global _transform
        _transform = self.transform  # type: ignore[assignment]  # what the forked copies will run
        executor = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"), initializer=_started)
        executor.submit(_ready).result()  # with fork, the first task forks every copy: now, not at the first batch
        return executor

    def results(self, messages: Sequence[M], more: Callable[[], bool]) -> Iterator[R]:
        """The result of each of ``messages`` in order, while ``more()`` says to go on (the first is always given).

        Messages go out in chunks of up to :data:`CHUNK`, smaller when the batch is small so that every
        process gets some; at most twice as many chunks as processes are handed out ahead of the one
        awaited, so that a batch stopped early (``more()`` false) leaves little work done for nothing.
        A process cuts a chunk short once it has taken :data:`CHUNK_SECONDS` and the rest is handed out
        again, first in line to be awaited: a result waited for comes at most that much later than it
        would without chunks, so a batch cut at its deadline still ends within the poll interval
        (``config.liveness_problems``).
        """
        size = max(1, min(CHUNK, len(messages) // (2 * self.processes)))
        waiting = (messages[start:start + size] for start in range(0, len(messages), size))
        ahead: deque[tuple[Sequence[M], Future[list[R]] | None]] = deque(
            (chunk, self._submit(chunk)) for chunk in islice(waiting, 2 * self.processes))
        broken = False
        try:
            while ahead:
                chunk, future = ahead.popleft()
                try:
                    if future is None:
                        raise BrokenProcessPool("not handed out: the pool was already broken")
                    finished = future.result()
                    if len(finished) < len(chunk):  # cut short: the rest goes out again, first in line
                        rest = chunk[len(finished):]
                        ahead.appendleft((rest, self._submit(rest)))
                    done: Iterable[R] = finished
                except BrokenProcessPool:
                    broken = True
                    done = map(self.transform, chunk)  # one at a time: a stop halfway leaves the rest undone
                for result in done:
                    yield result
                    if not more():
                        return
                for following in islice(waiting, 1):
                    ahead.append((following, None if broken else self._submit(following)))
        finally:
            for _, future in ahead:
                if future is not None:
                    future.cancel()
            if broken:
                if self._on_death is not None:
                    self._on_death()
                self.log.error("transform_process_died", processes=self.processes,
                               action="its messages were transformed in the worker's own process; forking a new pool")
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = self._fork()

    def _submit(self, chunk: Sequence[M]) -> Future[list[R]] | None:
        """``chunk`` handed to a process, or ``None`` when the pool is broken (a process died since the last result)."""
        try:
            return self._executor.submit(_run, chunk)  # a slice of the batch: already a copy of its own
        except BrokenProcessPool:
            return None

    def close(self) -> None:
        """Stop the processes (pending work is dropped: the worker commits only what it delivered)."""
        self._executor.shutdown(wait=True, cancel_futures=True)
