"""The per-message time limit: the CPU seconds one stage may spend on one message.

Size limits bound most inputs, but some text still costs far more than its length suggests.
:func:`cpu_time_limit` arms a one-shot ``ITIMER_PROF`` timer, which counts this process's CPU
time rather than wall time, so a busy machine does not push an ordinary article over the limit.
When it fires, the handler raises :class:`TimeLimitExceeded` in the Python code that is running:
in a pure-Python loop, or in a regular expression (``re`` checks for signals while it matches).
A single long call into C (an HTML parse) is interrupted only when it returns; the size limits
bound those. Signals reach only the main thread, so elsewhere no limit is applied. The timer counts
every thread's CPU: in a worker, the Kafka thread's few milliseconds while a message runs count too.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any


class TimeLimitExceeded(BaseException):
    """The block ran out of CPU time; a ``BaseException`` so that no ``except Exception`` inside a transform swallows it."""


_kept = False  # whether the handler stays installed for good (keep_handler)


def _expire(signum: int, frame: FrameType | None) -> None:
    raise TimeLimitExceeded


def keep_handler() -> None:
    """Install the SIGPROF handler for the life of the process (a worker), so that each limited block only arms the timer."""
    global _kept
    signal.signal(signal.SIGPROF, _expire)
    _kept = True


class cpu_time_limit:  # noqa: N801 — used as a function: ``with cpu_time_limit(seconds):``
    """Raise :class:`TimeLimitExceeded` in the block once the process has spent ``seconds`` of CPU time in it.

    ``None`` or ``0`` means no limit. The previous SIGPROF handler is put back afterwards, unless
    :func:`keep_handler` made it this one's for good. A class rather than a generator: it runs once per
    message, where a generator-based context manager costs a few microseconds more.
    """

    __slots__ = ("_armed", "_previous", "_seconds")

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds
        self._armed = False
        self._previous: Any = None  # the SIGPROF handler to put back

    def __enter__(self) -> None:
        if not self._seconds or threading.current_thread() is not threading.main_thread():
            return
        if not _kept:
            self._previous = signal.signal(signal.SIGPROF, _expire)
        self._armed = True
        signal.setitimer(signal.ITIMER_PROF, self._seconds)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if not self._armed:
            return
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:
            if not _kept:
                signal.signal(signal.SIGPROF, self._previous if self._previous is not None else signal.SIG_DFL)
