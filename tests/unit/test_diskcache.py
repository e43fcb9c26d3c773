"""The on-disk cache of expensive builds: built once, reused, rebuilt when its key changes or the file is bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsingest.runtime.diskcache import cached_build, fingerprint


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSINGEST_HOME", str(tmp_path))
    return tmp_path


def test_built_once_then_loaded(home: Path) -> None:
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"homs": 1}

    assert cached_build("thing", "k1", build) == {"homs": 1}
    assert cached_build("thing", "k1", build) == {"homs": 1}
    assert len(builds) == 1
    assert cached_build("thing", "k2", build) == {"homs": 1}
    assert len(builds) == 2


def test_a_corrupt_file_is_rebuilt(home: Path) -> None:
    (home / "cache").mkdir()
    (home / "cache" / "thing-k.pickle").write_bytes(b"not a pickle")
    assert cached_build("thing", "k", lambda: [1, 2]) == [1, 2]
    assert cached_build("thing", "k", lambda: [3]) == [1, 2]


def test_fingerprint_follows_source_and_package_versions(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("A = 1\n")
    first = fingerprint([str(source)], ["orjson"])
    assert first == fingerprint([str(source)], ["orjson"])
    assert first != fingerprint([str(source)], ["orjson", "structlog"])
    source.write_text("A = 2\n")
    assert first != fingerprint([str(source)], ["orjson"])
