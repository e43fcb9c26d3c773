"""Schema evolution: within a major version the contracts only grow, so every earlier record stays valid.

``schemas/examples/v<major>.<minor>/`` keeps one example record per topic contract as it was at that
version. The current schemas must accept every example of their major version, and must stay open
(unknown fields allowed) so that readers on an older minor accept records of a newer one.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsingest.runtime import cloudevents
from newsingest.runtime.contracts import SCHEMA_NAMES, SchemaViolation, validate
from tests.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "schemas" / "examples"
VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)$")


def current_major(name: str) -> int:
    """The major version a contract's ``schema`` field names (the raw contract has none: 1)."""
    contract = json.loads((REPO_ROOT / "schemas" / f"{name}.schema.json").read_text())
    const = contract.get("properties", {}).get("schema", {}).get("const", "newsingest.raw/1")
    return int(const.split("/")[1])


def version_dirs() -> list[Path]:
    """The example folders, oldest version first (v1.2 before v1.10)."""
    dirs = [p for p in EXAMPLES.iterdir() if p.is_dir()]
    assert dirs and all(VERSION_DIR.match(p.name) for p in dirs), f"example folders must be named v<major>.<minor>: {[p.name for p in dirs]}"
    return sorted(dirs, key=lambda p: tuple(int(n) for n in VERSION_DIR.match(p.name).groups()))


def examples() -> list[tuple[str, str, Path]]:
    return [(folder.name, path.stem, path) for folder in version_dirs() for path in sorted(folder.glob("*.json"))]


@pytest.mark.parametrize(("version", "name", "path"), examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_current_schemas_accept_every_example_of_their_major_version(version: str, name: str, path: Path) -> None:
    assert name in SCHEMA_NAMES, f"{path}: file names are contract names ({', '.join(SCHEMA_NAMES)})"
    record = json.loads(path.read_text(encoding="utf-8"))
    if int(VERSION_DIR.match(version)[1]) != current_major(name):
        pytest.skip(f"{version} is an earlier major version of {name}: a breaking change, read by its own consumers")
    validate(name, record)
    if "schema" in record:  # the CloudEvents type names the same contract and major version
        assert cloudevents.event_type(record["schema"]).endswith(f".v{current_major(name)}")


def test_every_contract_has_an_example_at_its_latest_version() -> None:
    for name in SCHEMA_NAMES:
        latest = [p for p in version_dirs() if int(VERSION_DIR.match(p.name)[1]) == current_major(name)]
        assert latest and (latest[-1] / f"{name}.json").exists(), f"no example of {name} at major {current_major(name)}"


def _top_level_fields(name: str) -> set[str]:
    """The fields a contract defines at the top of a record, including those of the shared definitions it composes."""
    contract = json.loads((REPO_ROOT / "schemas" / f"{name}.schema.json").read_text())
    common = json.loads((REPO_ROOT / "schemas" / "common.schema.json").read_text())
    fields = set(contract.get("properties", {}))
    for part in contract.get("allOf", []):
        fields |= set(common["$defs"][part["$ref"].rsplit("/", 1)[1]]["properties"])
    return fields


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_latest_example_of_a_contract_shows_every_field_it_defines(name: str) -> None:
    """A field added in a minor version comes with an example carrying it (a new ``v<major>.<minor>/`` folder)."""
    latest = [p for p in version_dirs() if int(VERSION_DIR.match(p.name)[1]) == current_major(name)][-1]
    record = json.loads((latest / f"{name}.json").read_text(encoding="utf-8"))
    assert _top_level_fields(name) <= set(record), f"{latest.name}/{name}.json lacks {sorted(_top_level_fields(name) - set(record))}"


# Free-form maps take any key, with values of one type: a new key there gets a value of that type.
MAP_VALUES = {"removed": 1, "scores": 0.5, "metadata": "x"}  # counts per kind; topic scores; publisher metadata


def _objects(record: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every JSON object in ``record``."""
    found = [path] if isinstance(record, dict) else []
    items = record.items() if isinstance(record, dict) else enumerate(record) if isinstance(record, list) else ()
    for key, value in items:
        found += _objects(value, (*path, key))
    return found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_stay_open_so_older_readers_accept_newer_records(name: str) -> None:
    """An additive change (a new optional field anywhere) must not break a reader validating with today's schema."""
    latest = [p for p in version_dirs() if int(VERSION_DIR.match(p.name)[1]) == current_major(name)][-1]
    record = json.loads((latest / f"{name}.json").read_text(encoding="utf-8"))
    for path in _objects(record):
        newer = copy.deepcopy(record)
        target = newer
        for key in path:
            target = target[key]
        target["added_in_a_later_minor"] = MAP_VALUES.get(path[-1], "x") if path else "x"
        validate(name, newer)


def test_a_breaking_change_is_caught() -> None:
    """The check can fail: a record missing a required field (what removing a field would produce) is rejected."""
    record = json.loads((version_dirs()[-1] / "event.json").read_text(encoding="utf-8"))
    del record["event_id"]
    with pytest.raises(SchemaViolation, match="event_id"):
        validate("event", record)
