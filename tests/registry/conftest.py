"""Fixtures of the registry suite: a registry on SQLite or PostgreSQL, clients over
in-process WSGI and over a real loopback socket.

``PORTAL_TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
runs everything on PostgreSQL, each xdist worker in its own fresh database that is
dropped at the end. With ``CI=true`` a missing PostgreSQL fails the PostgreSQL tests.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from werkzeug.serving import make_server

from portal.registry.client import RegistryClient
from portal.registry.client.base import Actor, ConnectionSettings, RegistryConnection
from portal.registry.server import create_app
from portal.registry.server.auth import SCOPES, create_client
from portal.registry.server.db import make_engine, migrate
from tests.registry.dci_official import require_standards
from tests.registry.dci_receiver import DciReceiver, running_receiver
from tests.registry.factories import OTHER_VILLAGE, household_content, person_content
from tests.support.databases import fresh_database

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """PostgreSQL tests skip without PORTAL_TEST_DATABASE_URL, and fail when CI=true."""
    if request.node.get_closest_marker("postgres") is None or PG_URL:
        return
    if IN_CI:
        pytest.fail("CI=true but PORTAL_TEST_DATABASE_URL is not set: PostgreSQL is required")
    pytest.skip("set PORTAL_TEST_DATABASE_URL to run PostgreSQL tests")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> Iterator[str]:
    """One registry database per xdist worker, dropped at the end."""
    with fresh_database(tmp_path_factory.mktemp("registry"), f"registry_test_{worker_id}") as url:
        yield url


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def build_registry_app(database_url: str, instance_path, **config):
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()
    return create_app(
        {
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_AUTO_MIGRATE": False,
            "INSTANCE_PATH": str(instance_path),
            **config,
        }
    )


@pytest.fixture(scope="session")
def registry_app(database_url, tmp_path_factory):
    app = build_registry_app(database_url, tmp_path_factory.mktemp("instance"))
    yield app
    app.extensions["registry.engine"].dispose()


def new_credentials(app, scopes=SCOPES) -> dict[str, str]:
    with app.extensions["registry.sessions"]() as session:
        return create_client(session, f"test-{uuid.uuid4().hex[:8]}", list(scopes))


@pytest.fixture(scope="session")
def credentials(registry_app) -> dict[str, str]:
    return new_credentials(registry_app)


@pytest.fixture(scope="session")
def socket_url(registry_app) -> Iterator[str]:
    """The registry served over a real TCP socket on loopback."""
    server = make_server("127.0.0.1", 0, registry_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def make_client(credentials, base_url, transport=None, **settings) -> RegistryClient:
    connection = RegistryConnection(
        ConnectionSettings(
            base_url=base_url,
            client_id=credentials["client_id"],
            client_secret=credentials["client_secret"],
            transport=transport,
            **settings,
        )
    )
    return RegistryClient(connection, sender_id="test-portal")


@pytest.fixture(scope="session", params=["in-process", "socket"])
def registry(request, registry_app, credentials) -> Iterator[RegistryClient]:
    """The portal's client against the real server, in-process and over loopback."""
    if request.param == "in-process":
        client = make_client(
            credentials, "http://localhost", transport=httpx.WSGITransport(app=registry_app)
        )
    else:
        client = make_client(credentials, request.getfixturevalue("socket_url"))
    yield client
    client.close()


@pytest.fixture(scope="session")
def inprocess(registry_app, credentials) -> Iterator[RegistryClient]:
    client = make_client(
        credentials, "http://localhost", transport=httpx.WSGITransport(app=registry_app)
    )
    yield client
    client.close()


@pytest.fixture
def actor() -> Actor:
    return Actor(actor="staff:test-officer", purpose="contract-test", on_behalf_of=None)


@pytest.fixture
def http(registry_app) -> Iterator[httpx.Client]:
    """Raw HTTP to the in-process registry, for status codes the client hides."""
    with httpx.Client(
        transport=httpx.WSGITransport(app=registry_app), base_url="http://localhost"
    ) as client:
        yield client


def token_for(http: httpx.Client, credentials: dict[str, str], scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    response = http.post(
        "/oauth2/client/token",
        data=data,
        auth=(credentials["client_id"], credentials["client_secret"]),
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def actor_headers(token: str | None = None) -> dict[str, str]:
    headers = {"X-Actor": "staff:test", "X-On-Behalf-Of": "", "X-Purpose": "contract-test"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


# DCI conformance (test_dci_conformance.py, test_dci_queries.py)


@pytest.fixture(scope="module")
def dci_standards():
    require_standards()


@pytest.fixture(scope="module")
def dci_operator(dci_http, registry_app) -> dict:
    """An operator's system: its client id and a token with search and read."""
    credentials = new_credentials(registry_app, ["registry.search", "registry.read"])
    return {"client_id": credentials["client_id"], "token": token_for(dci_http, credentials)}


@pytest.fixture(scope="module")
def dci_http(registry_app):
    transport = httpx.WSGITransport(app=registry_app)
    with httpx.Client(transport=transport, base_url="http://localhost") as client:
        yield client


@pytest.fixture(scope="module")
def dci_family(dci_http, credentials) -> dict:
    """A mother and her son in one household, born on days no other test uses
    (before 1940, where tests/registry/factories.py starts)."""
    headers = actor_headers(token_for(dci_http, credentials))
    mother_born = date(1905, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)
    son_born = mother_born + timedelta(days=365 * 25)
    created = {}
    for role, born, sex in (("mother", mother_born, "female"), ("son", son_born, "male")):
        content = person_content(birth_date=born.isoformat(), sex=sex)
        if role == "son":
            content["address"] = {"village_code": OTHER_VILLAGE}
        response = dci_http.post(
            "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
        )
        assert response.status_code == 201, response.text
        created[role] = response.json()
    members = [(created["mother"]["spid"], "head"), (created["son"]["spid"], "child")]
    household = dci_http.post(
        "/data/households/1.0/create",
        json={"write": {"content": household_content(members)}},
        headers=headers,
    ).json()
    return {**created, "household": household, "mother_born": mother_born, "son_born": son_born}


# DCI subscriptions (test_dci_subscriptions.py, test_dci_subscribe_requests.py)


@pytest.fixture
def receiver() -> Iterator[DciReceiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def operators(registry_app, http, receiver):
    """Operators to make (scopes → Operator); their subscriptions and undelivered
    messages end with the test, so that no other test meets them."""
    from tests.registry.dci_subscription_support import Operator, retire

    made: list[Operator] = []

    def make(scopes=("registry.search", "registry.read"), to: DciReceiver | None = None):
        operator = Operator(registry_app, http, to or receiver, scopes)
        made.append(operator)
        return operator

    yield make
    retire(registry_app, [operator.client_id for operator in made])
