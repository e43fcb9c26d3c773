"""The soak test runs on the integration tests' real broker, with their settings per test."""

from tests.integration.conftest import bootstrap, settings  # noqa: F401 — fixtures, registered by being imported here
