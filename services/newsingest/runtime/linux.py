"""Two Linux process controls (``prctl``), which do nothing on other systems: a child process that dies
with its parent, and a thread name the operating system shows (``top -H``, ``/proc/PID/task/TID/comm``)."""

from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1  # the signal a process gets when its parent dies
_PR_SET_NAME = 15  # the calling thread's name, up to 15 bytes


def _prctl(option: int, value: int | bytes) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(option, value)


def die_with_parent() -> None:
    """Have the calling process killed (SIGKILL) when its parent process dies."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def name_this_thread(name: str) -> None:
    """Give the calling thread ``name`` (cut to 15 bytes) where the operating system shows thread names."""
    _prctl(_PR_SET_NAME, name.encode()[:15])
