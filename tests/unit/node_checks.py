"""Running the node validators in ``tests/node`` (installed by ``make install``) from the tests."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.paths import REPO_ROOT

NODE_DIR = REPO_ROOT / "tests" / "node"


def run_node(script: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``tests/node/<script>`` (``input`` on its stdin); skip without node (fail in CI), fail (saying what to run) without its packages."""
    node = shutil.which("node")
    if node is None:
        message = "node is not on PATH (install Node.js 20+ to run the AsyncAPI and KEDA checks)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not (NODE_DIR / "node_modules" / ".package-lock.json").exists():
        pytest.fail("the node validators are not installed: run `make install` (npm ci in tests/node)")
    return subprocess.run([node, script, *args], cwd=NODE_DIR, input=input, capture_output=True, text=True, timeout=120)
