"""Fixtures of the outbox suite: a real registry process, a stand-in SMS
provider, the portal pointed at both, and a worker as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal import create_app, outbox
from portal.database import db
from portal.outbox.store import OutboxStatus
from portal.registry.client import Actor, RegistryClient
from portal.registry.client.base import ConnectionSettings, RegistryConnection
from tests.conftest import IN_CI, make_test_config
from tests.registry.factories import person_content
from tests.support.databases import PG_URL, fresh_database
from tests.support.registry_process import RegistryProcess, prepare_registry
from tests.support.sms_provider import SmsProvider, sms_provider

SECRET_KEY = "outbox-test-secret-key-0123456789abcdef"
CITIZEN = Actor(actor="citizen:test", purpose="registration", on_behalf_of="self")
DELIVERED_KM = "បានចុះក្នុងបញ្ជី"  # "now recorded in the registry", in the Khmer message
RECEIVED_KM = "យើងបានទទួល"
REFERENCE = re.compile(r"REG-\d{4}-[\d ]+\d")


@pytest.fixture(autouse=True)
def _postgres_in_ci():
    if IN_CI and not PG_URL:
        pytest.fail("CI=true but PORTAL_TEST_DATABASE_URL is not set: PostgreSQL is required")


@dataclass
class Deployment:
    """The registry, the SMS provider and the portal's settings, as in production."""

    tmp_path: Path
    portal_db: str
    registry: RegistryProcess
    credentials: dict[str, str]
    sms: SmsProvider
    registry_url: str

    def portal(self):
        return create_app(
            make_test_config(
                self.tmp_path,
                SECRET_KEY=SECRET_KEY,
                DATABASE_URL=self.portal_db,
                REGISTRY_URL=self.registry_url,
                REGISTRY_CLIENT_ID=self.credentials["client_id"],
                REGISTRY_CLIENT_SECRET=self.credentials["client_secret"],
                SMS_GATEWAY="http",
                SMS_URL=self.sms.url,
                SMS_RATE="1000/second",
            )
        )

    def worker_environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "PORTAL_ENV": "testing",
            "PORTAL_SECRET_KEY": SECRET_KEY,
            "PORTAL_INSTANCE_PATH": str(self.tmp_path / "instance"),
            "PORTAL_DATABASE_URL": self.portal_db,
            "PORTAL_REGISTRY_URL": self.registry_url,
            "PORTAL_REGISTRY_CLIENT_ID": self.credentials["client_id"],
            "PORTAL_REGISTRY_CLIENT_SECRET": self.credentials["client_secret"],
            "PORTAL_SMS_GATEWAY": "http",
            "PORTAL_SMS_URL": self.sms.url,
            "PORTAL_SMS_RATE": "1000/second",
            "PORTAL_LOG_LEVEL": "WARNING",
        }

    def start_worker(self, *options: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "outbox", "work", *options],
            env=self.worker_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def registry_client(self, url: str | None = None) -> RegistryClient:
        connection = RegistryConnection(
            ConnectionSettings(
                base_url=url or self.registry.url,
                client_id=self.credentials["client_id"],
                client_secret=self.credentials["client_secret"],
            )
        )
        return RegistryClient(connection, sender_id="test")


@pytest.fixture
def deployment(tmp_path) -> Iterator[Deployment]:
    with (
        fresh_database(tmp_path, "outbox_portal") as portal_db,
        fresh_database(tmp_path, "outbox_registry") as registry_db,
        sms_provider() as sms,
    ):
        credentials = prepare_registry(registry_db, tmp_path)
        registry = RegistryProcess(registry_db, tmp_path)
        registry.start()
        try:
            yield Deployment(tmp_path, portal_db, registry, credentials, sms, registry.url)
        finally:
            registry.stop()


def submit_many(app, count: int, threads: int = 8) -> list[outbox.Submission]:
    """`count` registrations, each with a receipt, sent from several threads at once."""

    def one(number: int) -> outbox.Submission:
        content = person_content()
        phone = "+855" + content["phone_number"][0].removeprefix("0")
        with app.app_context():
            return outbox.submit(
                "persons",
                content,
                actor=CITIZEN,
                reference=f"REG-2026-{number:06d}",
                receipt=outbox.Recipient(phone, "km"),
            )

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(1, count + 1)))


def outbox_status(app) -> OutboxStatus:
    with app.app_context():
        return outbox.status(finished=True)


def wait_until(condition, timeout: float, what: str) -> None:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout} s: {what}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def registry_ids(client: RegistryClient) -> list[str]:
    """Every person id in the registry (one entry per record)."""
    actor = Actor(actor="staff:auditor", purpose="outbox test count")
    ids: list[str] = []
    page = 1
    while True:
        answer = client.persons.list(actor=actor, page=page, page_size=100)
        ids += [record["id"] for record in answer.results]
        if answer.next is None:
            return ids
        page += 1


@dataclass
class SwitchableRegistry:
    """The reference registry on a loopback socket, in this process; `down`
    makes it answer 503 to everything, as a registry in trouble does."""

    url: str = ""
    down: bool = False
    app: object = None

    def wsgi(self, environ, start_response):
        if self.down:
            start_response("503 Service Unavailable", [("Content-Type", "application/json")])
            return [b'{"errors": [{"code": "err.unavailable", "message": "down"}]}']
        return self.app(environ, start_response)


@pytest.fixture
def switchable(tmp_path) -> Iterator[tuple[SwitchableRegistry, dict[str, str]]]:
    from portal.registry.server import create_app as create_registry
    from tests.support.live_server import serve

    database = f"sqlite:///{tmp_path / 'registry.db'}"
    credentials = prepare_registry(database, tmp_path)
    registry = SwitchableRegistry()
    registry.app = create_registry(
        {"REGISTRY_DATABASE_URL": database, "INSTANCE_PATH": str(tmp_path)}
    )
    with serve(registry.wsgi) as url:
        registry.url = url
        yield registry, credentials


@pytest.fixture
def provider() -> Iterator[SmsProvider]:
    with sms_provider() as running:
        yield running


@pytest.fixture
def portal_database(tmp_path) -> Iterator[str]:
    """The portal's own database: PostgreSQL when PORTAL_TEST_DATABASE_URL is set."""
    with fresh_database(tmp_path, "outbox_portal") as url:
        yield url


@pytest.fixture
def portal_app(tmp_path, portal_database, switchable, provider):
    """The portal with its registry and SMS provider on loopback."""
    registry, credentials = switchable
    app = create_app(
        make_test_config(
            tmp_path,
            DATABASE_URL=portal_database,
            REGISTRY_URL=registry.url,
            REGISTRY_CLIENT_ID=credentials["client_id"],
            REGISTRY_CLIENT_SECRET=credentials["client_secret"],
            SMS_GATEWAY="http",
            SMS_URL=provider.url,
            SMS_RATE="1000/second",
        )
    )
    yield app
    db.engine.dispose()  # so that the database can be dropped
