"""Where the project's non-Python files live (a source checkout; overridable for installed copies)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def schema_dir() -> Path:
    """Folder holding the ``*.schema.json`` topic contracts (``NEWSINGEST_SCHEMA_DIR`` overrides)."""
    return Path(os.environ.get("NEWSINGEST_SCHEMA_DIR") or REPO_ROOT / "schemas")


def deploy_dir() -> Path:
    """Folder holding the broker, Prometheus and Grafana configuration (``NEWSINGEST_DEPLOY_DIR`` overrides)."""
    return Path(os.environ.get("NEWSINGEST_DEPLOY_DIR") or REPO_ROOT / "deploy")
