"""Keep the result of an expensive, deterministic build (e.g. the gazetteer index) on disk between runs.

The file lives in ``$NEWSINGEST_HOME/cache`` and is named by a hash of everything the build depends
on (the caller's source and data package versions), so a change to either builds afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from newsingest.runtime.config import load_settings

T = TypeVar("T")


def fingerprint(source_files: Iterable[str], packages: Iterable[str]) -> str:
    """A short hash of the modules' sources and the versions of the packages whose data they read."""
    digest = hashlib.sha256()
    for source in source_files:
        digest.update(Path(source).read_bytes())
    for package in packages:
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def cached_build(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``'s result, loaded from the cache when a file for ``name`` and ``key`` exists, else built and saved."""
    path = load_settings().home / "cache" / f"{name}-{key}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        with path.open("rb") as file:
            return pickle.load(file)  # noqa: S301 — our own file, in our own cache folder
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, path)  # atomic: workers starting together never read a half-written file
    except OSError:  # a read-only or full disk only costs the next start its build time
        with contextlib.suppress(OSError, NameError):
            os.unlink(file.name)
    return value
