"""Fixtures shared by all tests: where the shared corpora are."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.devtools.corpora import shared_dir


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared`` (public corpora and benchmarks); tests that need it skip when it is absent."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared is absent (public corpora are read by path, never copied into the project)")
    return path
