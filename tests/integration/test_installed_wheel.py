"""The built wheel works outside the checkout: contracts, models and demo articles ship inside it.

The wheel is built and installed into a folder of its own, which goes first on ``PYTHONPATH`` of
commands run from a temporary directory (the checkout's editable install stays behind it, and
the test checks which copy ran). Dependencies come from the test environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from newsingest.ops.broker import free_port
from newsingest.runtime.config import Settings, settings_env
from newsingest.runtime.contracts import validate
from newsingest.runtime.paths import DEMO_DIR
from tests.integration.kafka_helpers import collect, publish
from tests.paths import REPO_ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the package as ``pip install`` of the built wheel puts it."""
    build = tmp_path_factory.mktemp("wheel")
    source = build / "source"  # a copy, so that setuptools' build/ folder does not land in the checkout
    shutil.copytree(REPO_ROOT / "services", source / "services", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE", "NOTICE"):
        shutil.copy(REPO_ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(build / "dist"), str(source)],
                   check=True, timeout=300, cwd=build)
    wheel = next((build / "dist").glob("newsingest-*.whl"))
    target = build / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=300)
    return target


def _environment(installed: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(base or os.environ)
    env["PYTHONPATH"] = str(installed)
    for name in ("NEWSINGEST_SCHEMA_DIR", "NEWSINGEST_DEPLOY_DIR"):
        env.pop(name, None)
    return env


def test_the_wheel_holds_the_contracts_and_the_models(installed: Path) -> None:
    package = installed / "newsingest"
    assert {p.name for p in (package / "contracts").glob("*.schema.json")} == {p.name for p in (REPO_ROOT / "schemas").glob("*.schema.json")}
    assert list((package / "stages" / "extract" / "models").glob("*"))
    assert {p.name for p in (package / "stages" / "enrich" / "models").glob("*")} == {"topics.npz", "topics.md"}
    assert (package / "demo").is_dir()
    if shutil.which("cc"):  # the NER decoder is compiled where a C compiler is (it is optional elsewhere)
        assert list((package / "stages" / "extract").glob("_viterbi*.so"))
    licences = {p.name for p in installed.glob("newsingest-*.dist-info/**/*") if p.is_file()}
    assert {"LICENSE", "NOTICE"} <= licences


def test_process_runs_from_the_installed_package_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    shutil.copy(DEMO_DIR / "ar-aleppo-water.txt", article)
    env = _environment(installed)
    where = subprocess.run([sys.executable, "-c", "import newsingest; print(newsingest.__file__)"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(installed)), where.stdout
    done = subprocess.run([sys.executable, "-m", "newsingest", "process", str(article)], env=env, cwd=tmp_path, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    [record] = [orjson.loads(line) for line in done.stdout.splitlines()]
    validate("event", record)
    assert record["language"] == "ar" and record["locations"]
    assert record["topic"]["runner_up"]["code"] != record["topic"]["code"]


def test_a_worker_runs_from_the_installed_package(installed: Path, settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "worker.log"
    env = _environment(installed, settings_env(settings))
    worker = subprocess.Popen([sys.executable, "-m", "newsingest", "worker", "clean", "--metrics-port", str(port)],
                              env=env, cwd=tmp_path, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        publish(settings, [orjson.dumps({"id": "wheel-1", "body": "Ministers met in Ankara on Thursday.\n\nThey talked for hours."})])
        deadline = time.monotonic() + 120
        cleaned: list[dict] = []
        while not cleaned and time.monotonic() < deadline and worker.poll() is None:
            cleaned = collect(settings, settings.topics.cleaned, lambda records: bool(records), timeout=5)
        assert worker.poll() is None, log.read_text()[-3000:]
        assert [r["article_id"] for r in cleaned] == ["wheel-1"], log.read_text()[-3000:]
        validate("cleaned", cleaned[0])
    finally:
        worker.terminate()
        worker.wait(30)
