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
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


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


@contextmanager
def cpu_time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block once the process has spent ``seconds`` of CPU time in it.

    ``None`` or ``0`` means no limit. The previous SIGPROF handler is put back afterwards, unless
    :func:`keep_handler` made it this one's for good.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = None if _kept else signal.signal(signal.SIGPROF, _expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:
            if not _kept:
                signal.signal(signal.SIGPROF, previous if previous is not None else signal.SIG_DFL)
