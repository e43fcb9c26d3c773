"""Where the project's non-Python files live: the contracts ship in the package, the rest in a source checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from newsingest.runtime.config import DEPLOY_DIR, SCHEMA_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# The checkout this package runs from, when it does (``pip install -e``); an installed wheel has none.
SOURCE_ROOT = PACKAGE_DIR.parents[1]


def schema_dir() -> Path:
    """Folder holding the ``*.schema.json`` topic contracts, shipped as ``newsingest/contracts`` (``NEWSINGEST_SCHEMA_DIR`` overrides)."""
    return Path(SCHEMA_DIR.read() or str(files("newsingest.contracts")))


def deploy_dir() -> Path:
    """Folder holding the broker, Prometheus and Grafana configuration (``NEWSINGEST_DEPLOY_DIR`` overrides).

    It is the checkout's ``deploy/``; an installed package has none, so the commands that need it
    (``newsingest broker``, ``up``) say where to point the variable.
    """
    path = Path(DEPLOY_DIR.read() or SOURCE_ROOT / "deploy")
    if not path.is_dir():
        raise SystemExit(f"newsingest: no deploy/ folder at {path}: run this command from a source checkout "
                         "or set NEWSINGEST_DEPLOY_DIR to the project's deploy/ folder")
    return path

# A handful of real articles (Arabic text, an English HTML page, a wire item) that ship with the package.
DEMO_DIR = PACKAGE_DIR / "demo"
