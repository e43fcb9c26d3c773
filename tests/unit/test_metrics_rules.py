"""The alert rules are valid and behave as their promtool unit tests say (``promtool check/test rules``).

promtool comes with Prometheus: without it these tests skip on a developer's machine, but fail in
CI (``CI=true``), which installs Prometheus, so CI can never pass by skipping them.
"""

from __future__ import annotations

import subprocess

import yaml

from tests.metrics_support import require_binary
from tests.paths import REPO_ROOT

PROMETHEUS_DIR = REPO_ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS_DIR / "rules" / "newsingest.rules.yml"
RULE_TESTS = PROMETHEUS_DIR / "tests" / "newsingest.rules.test.yml"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_binary("promtool"), *args], capture_output=True, text=True, timeout=120, cwd=PROMETHEUS_DIR)


def alert_names() -> set[str]:
    return {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"] if "alert" in rule}


def test_the_five_alerts_the_issue_asks_for_are_defined() -> None:
    assert alert_names() == {
        "NewsingestStageDown",
        "NewsingestConsumerLagGrowing",
        "NewsingestDeadLetterRateHigh",
        "NewsingestEndToEndLatencyHigh",
        "NewsingestNoOutput",
    }


def test_every_alert_has_a_unit_test_that_fires_and_one_that_stays_silent() -> None:
    cases = [case for test in yaml.safe_load(RULE_TESTS.read_text())["tests"] for case in test["alert_rule_test"]]
    fires = {case["alertname"] for case in cases if case.get("exp_alerts")}
    silent = {case["alertname"] for case in cases if not case.get("exp_alerts")}
    assert fires == alert_names()
    assert silent == alert_names()


def test_promtool_checks_the_rules() -> None:
    result = promtool("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(alert_names())} rules found" in result.stdout


def test_promtool_rule_unit_tests_pass() -> None:
    result = promtool("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
