"""Secure clusters on the real broker: TLS (a CA made here with openssl), SASL PLAIN and SCRAM-SHA-512.

A second broker runs for this module with a SASL_SSL listener (PLAIN and SCRAM-SHA-512 users) and a
TLS-only listener. The three workers run through it; wrong credentials or an untrusted certificate stop
a worker at once with an error that says what to set; no secret shows in logs or on /metrics.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsingest.ops.broker import free_port, temporary_broker
from newsingest.runtime.config import KafkaSecurity, Settings, load_settings, settings_env
from newsingest.runtime.paths import deploy_dir
from newsingest.stages import STAGE_ORDER

from .conftest import WorkerProcess, start_worker, stop_worker
from .kafka_helpers import collect, publish
from .test_pipeline import real_articles

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not on PATH")

RUN = uuid.uuid4().hex[:12]
# Distinctive per run, so that finding one in a log can only mean it leaked.
SECRETS = {"scram": f"scram-pw-{RUN}", "plain": f"plain-pw-{RUN}", "broker": f"broker-pw-{RUN}", "keystore": f"keystore-pw-{RUN}"}


@dataclass(frozen=True)
class SecureBroker:
    sasl_ssl: str  # bootstrap servers of the SASL_SSL listener
    ssl: str  # bootstrap servers of the TLS-only listener
    ca_file: Path
    other_ca_file: Path  # a CA that did not sign the broker's certificate


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(directory: Path) -> None:
    """A test CA, a broker certificate it signs (for 127.0.0.1) in a PKCS12 keystore, and an unrelated CA."""
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN=newsingest test {ca}",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", f"{ca}.key", "-out", f"{ca}.pem", cwd=directory)
    (directory / "broker.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "broker.key", "-out", "broker.csr", cwd=directory)
    openssl("x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "broker.ext", "-out", "broker.pem", cwd=directory)
    openssl("pkcs12", "-export", "-in", "broker.pem", "-inkey", "broker.key", "-certfile", "ca.pem", "-name", "broker",
            "-passout", f"pass:{SECRETS['keystore']}", "-out", "broker.p12", cwd=directory)


def secure_config(directory: Path, ssl_port: int) -> Path:
    """The project's broker template with SASL_SSL (clients and inter-broker) and TLS-only listeners."""
    replaced = {
        "listeners": f"SASL_SSL://127.0.0.1:${{port}},SSL://127.0.0.1:{ssl_port},CONTROLLER://127.0.0.1:${{controller_port}}",
        "advertised.listeners": f"SASL_SSL://127.0.0.1:${{port}},SSL://127.0.0.1:{ssl_port}",
        "inter.broker.listener.name": "SASL_SSL",
        "listener.security.protocol.map": "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:PLAINTEXT",
    }
    added = {
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "PLAIN",
        "listener.name.sasl_ssl.plain.sasl.jaas.config": "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="broker" password="{SECRETS["broker"]}" user_broker="{SECRETS["broker"]}" user_alice="{SECRETS["plain"]}";',
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": str(directory / "broker.p12"),
        "ssl.keystore.password": SECRETS["keystore"],
        "ssl.key.password": SECRETS["keystore"],
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(directory / "ca.pem"),
    }
    lines = []
    for line in (deploy_dir() / "kafka" / "server.properties").read_text().splitlines():
        key = line.partition("=")[0]
        lines.append(f"{key}={replaced[key]}" if key in replaced else line)
    lines += [f"{key}={value}" for key, value in added.items()]
    template = directory / "server.properties"
    template.write_text("\n".join(lines) + "\n")
    return template


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    directory = tmp_path_factory.mktemp("tls")
    make_certificates(directory)
    ssl_port = free_port()
    scram_user = f"SCRAM-SHA-512=[name=bob,password={SECRETS['scram']}]"
    base = load_settings()
    with temporary_broker(base.home, base.kafka_version, config_template=secure_config(directory, ssl_port),
                          format_args=("--add-scram", scram_user)) as broker:
        yield SecureBroker(broker.bootstrap_servers, f"127.0.0.1:{ssl_port}", directory / "ca.pem", directory / "other-ca.pem")


def own_settings() -> Settings:
    """Settings with topics and groups of their own (the secure broker is set by the caller)."""
    run = uuid.uuid4().hex[:8]
    base = load_settings()
    topics = type(base.topics)(**{f.name: f"s{run}.{f.default}" for f in dataclasses.fields(base.topics)})
    return dataclasses.replace(base, topics=topics, group_prefix=f"s{run}", bootstrap_from_env=True)


@pytest.fixture
def settings() -> Settings:
    return own_settings()


def secured(settings: Settings, servers: str, **security: str) -> Settings:
    return dataclasses.replace(settings, bootstrap_servers=servers, security=KafkaSecurity(**security))


def scram(settings: Settings, broker: SecureBroker, password: str = SECRETS["scram"]) -> Settings:
    return secured(settings, broker.sasl_ssl, protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="bob",
                   sasl_password=password, ssl_ca_file=str(broker.ca_file))


@dataclass(frozen=True)
class SecureRun:
    expected_ids: set[str]
    events: list[dict[str, Any]]
    metrics: dict[str, str]
    logs: dict[str, str]


@pytest.fixture(scope="module")
def secure_run(secure_broker: SecureBroker, tmp_path_factory: pytest.TempPathFactory) -> SecureRun:
    """The three workers over SASL_SSL/SCRAM-SHA-512 at debug log level: articles in, sink records, /metrics and logs out."""
    settings = scram(dataclasses.replace(own_settings(), log_level="debug"), secure_broker)
    articles = real_articles()[:30]
    expected = {a["id"] for a in articles}
    running: dict[str, WorkerProcess] = {}
    try:
        for stage in STAGE_ORDER:
            running[stage] = start_worker(settings, stage, tmp_path_factory)
        publish(settings, [orjson.dumps(a) for a in articles])
        events = collect(settings, settings.topics.events, lambda rs: {r["article_id"] for r in rs} >= expected, timeout=120)
        metrics = {stage: worker.get("/metrics")[1].decode() for stage, worker in running.items()}
    finally:
        codes = {stage: stop_worker(worker) for stage, worker in running.items()}
    assert codes == dict.fromkeys(STAGE_ORDER, 0), f"workers did not stop cleanly: {codes}"
    logs = {stage: Path(worker.log[0]).read_text() for stage, worker in running.items()}
    return SecureRun(expected, events, metrics, logs)


def test_workers_carry_every_article_over_tls_with_scram_sha_512(secure_run: SecureRun) -> None:
    assert {r["article_id"] for r in secure_run.events} == secure_run.expected_ids
    for stage, log in secure_run.logs.items():
        assert '"worker_started"' in log, f"{stage} log:\n{log[-2000:]}"


def test_secrets_never_appear_in_logs_or_metrics(secure_run: SecureRun) -> None:
    # The logs and metrics are the real ones of the run above (debug level: every message outcome is logged).
    assert all("newsingest_" in text for text in secure_run.metrics.values())
    assert all(log.count("\n") > len(secure_run.expected_ids) for log in secure_run.logs.values())
    for source, text in {**{f"/metrics of {s}": t for s, t in secure_run.metrics.items()}, **{f"log of {s}": t for s, t in secure_run.logs.items()}}.items():
        for name, secret in SECRETS.items():
            assert secret not in text, f"the {name} password appears in the {source}"


def test_settings_repr_hides_the_passwords(settings: Settings) -> None:
    security = KafkaSecurity("SASL_SSL", "SCRAM-SHA-512", "bob", SECRETS["scram"], ssl_key_password=SECRETS["keystore"])
    shown = repr(dataclasses.replace(settings, security=security))
    assert "'bob'" in shown and SECRETS["scram"] not in shown and SECRETS["keystore"] not in shown


@pytest.mark.parametrize("listener", ["sasl_plain", "tls_only"])
def test_tools_publish_and_read_with_plain_login_and_over_tls_only(secure_broker: SecureBroker, settings: Settings, listener: str) -> None:
    if listener == "sasl_plain":
        settings = secured(settings, secure_broker.sasl_ssl, protocol="SASL_SSL", sasl_mechanism="PLAIN", sasl_username="alice",
                           sasl_password=SECRETS["plain"], ssl_ca_file=str(secure_broker.ca_file))
    else:
        settings = secured(settings, secure_broker.ssl, protocol="SSL", ssl_ca_file=str(secure_broker.ca_file))
    values = [orjson.dumps({"id": f"{listener}-{n}", "body": "A short body."}) for n in range(5)]
    assert publish(settings, values) == 5
    read = collect(settings, settings.topics.raw, lambda rs: len(rs) >= 5, timeout=30)
    assert sorted(r["id"] for r in read) == sorted(f"{listener}-{n}" for n in range(5))


def run_worker_expecting_failure(settings: Settings, tmp_path: Path) -> tuple[int, str]:
    completed = subprocess.run([sys.executable, "-m", "newsingest", "worker", "clean", "--metrics-port", "0"],
                               env=settings_env(settings), capture_output=True, text=True, timeout=60, cwd=tmp_path)
    return completed.returncode, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    ("case", "says", "hint"),
    [
        ("wrong_scram_password", "rejected SASL SCRAM-SHA-512 login as 'bob'", "KAFKA_SASL_PASSWORD"),
        ("unknown_plain_user", "rejected SASL PLAIN login as 'mallory'", "KAFKA_SASL_USERNAME"),
        ("untrusted_certificate", "is not trusted", "KAFKA_SSL_CA_FILE"),
    ],
)
def test_wrong_credentials_stop_a_worker_with_a_clear_error(
    secure_broker: SecureBroker, settings: Settings, tmp_path: Path, case: str, says: str, hint: str
) -> None:
    wrong = f"wrong-pw-{RUN}"
    if case == "wrong_scram_password":
        settings = scram(settings, secure_broker, password=wrong)
    elif case == "unknown_plain_user":
        settings = secured(settings, secure_broker.sasl_ssl, protocol="SASL_SSL", sasl_mechanism="PLAIN", sasl_username="mallory",
                           sasl_password=wrong, ssl_ca_file=str(secure_broker.ca_file))
    else:
        settings = dataclasses.replace(scram(settings, secure_broker), security=dataclasses.replace(
            scram(settings, secure_broker).security, ssl_ca_file=str(secure_broker.other_ca_file)))
    code, output = run_worker_expecting_failure(settings, tmp_path)
    assert code != 0 and says in output and hint in output, output[-3000:]
    assert wrong not in output and SECRETS["scram"] not in output
