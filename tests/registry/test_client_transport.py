"""The client's own behaviour: retries only when safe, timeouts, error mapping, quiet logs."""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest

from portal.registry.client import (
    Actor,
    RegistryConflict,
    RegistryNotFound,
    RegistrySettings,
    RegistryUnavailable,
    RegistryValidationError,
    build_client,
)
from portal.registry.client.deadline import deadline
from tests.registry.conftest import make_client
from tests.registry.factories import person_content

ACTOR = Actor(actor="staff:t", purpose="transport-test")
TOKEN = {"access_token": "t", "token_type": "Bearer", "expires_in": 900}
PERSON = {"id": "00000000-0000-4000-8000-000000000001", "version": 1, "spid": "23630000000"}


class FlakyRegistry:
    """Answers the token endpoint, then fails ``failures`` times before answering."""

    def __init__(self, failures: int, status: int = 503) -> None:
        self.failures = failures
        self.status = status
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/client/token":
            return httpx.Response(200, json=TOKEN)
        self.calls.append(request.url.path)
        assert request.headers["X-Actor"] == "staff:t"
        assert request.headers["Authorization"] == "Bearer t"
        if len(self.calls) <= self.failures:
            return httpx.Response(self.status, json={"errors": [{"code": "x", "message": "x"}]})
        return httpx.Response(200, json=PERSON, headers={"ETag": '"1"'})


def flaky_client(registry: FlakyRegistry, retries: int = 2):
    credentials = {"client_id": "c", "client_secret": "s"}
    return make_client(
        credentials,
        "http://registry.test",
        transport=httpx.MockTransport(registry),
        retries=retries,
        backoff=0.01,
    )


def test_idempotent_calls_are_retried_after_503():
    registry = FlakyRegistry(failures=2)
    assert flaky_client(registry).persons.read(PERSON["id"], actor=ACTOR) == PERSON
    assert registry.calls == ["/data/persons/1.0/read"] * 3


def test_update_or_create_is_retried():
    registry = FlakyRegistry(failures=1)
    flaky_client(registry).persons.update_or_create(person_content(), actor=ACTOR)
    assert len(registry.calls) == 2


@pytest.mark.parametrize(
    "send",
    [
        lambda client: client.persons.create(person_content(), actor=ACTOR),
        lambda client: client.persons.update(PERSON["id"], {"sex": "male"}, actor=ACTOR),
    ],
    ids=["create", "update"],
)
def test_create_and_update_are_never_retried(send):
    registry = FlakyRegistry(failures=1)
    with pytest.raises(RegistryUnavailable):
        send(flaky_client(registry))
    assert len(registry.calls) == 1


def test_retries_give_up_with_registry_unavailable():
    registry = FlakyRegistry(failures=10)
    with pytest.raises(RegistryUnavailable) as caught:
        flaky_client(registry, retries=2).persons.read(PERSON["id"], actor=ACTOR)
    assert len(registry.calls) == 3
    assert caught.value.status == 503


def test_client_errors_are_not_retried():
    registry = FlakyRegistry(failures=5, status=409)
    with pytest.raises(RegistryConflict):
        flaky_client(registry).persons.update_or_create(person_content(), actor=ACTOR)
    assert len(registry.calls) == 1


def test_unreachable_registry_is_unavailable_quickly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(
        {"client_id": "c", "client_secret": "s"},
        f"http://127.0.0.1:{port}",
        connect_timeout=0.5,
        retries=0,
    )
    with pytest.raises(RegistryUnavailable):
        client.persons.read(PERSON["id"], actor=ACTOR)


def test_422_carries_field_errors():
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/client/token":
            return httpx.Response(200, json=TOKEN)
        errors = [{"code": "err.validation", "message": "bad", "field": "write.content.sex"}]
        return httpx.Response(422, json={"errors": errors})

    client = make_client(
        {"client_id": "c", "client_secret": "s"}, "http://r", transport=httpx.MockTransport(answer)
    )
    with pytest.raises(RegistryValidationError) as caught:
        client.persons.create(person_content(), actor=ACTOR)
    assert caught.value.field_errors == {"write.content.sex": "bad"}


def test_each_call_is_logged_with_duration_and_request_id_but_no_personal_data(inprocess, caplog):
    content = person_content(name={"given_name": "Bopha", "surname": "Meas"})
    nin = content["identifier"][0]["identifier_value"]
    with caplog.at_level(logging.INFO, logger="portal.registry"):
        person = inprocess.persons.create(content, actor=ACTOR)
        inprocess.search.by_id("NIN", nin, actor=ACTOR)
        inprocess.persons.access_log(person["id"], actor=ACTOR)
    client_lines = [r.getMessage() for r in caplog.records if r.name == "portal.registry.client"]
    assert any("POST /data/persons/1.0/create 201" in line for line in client_lines)
    assert all("ms request_id=" in line for line in client_lines)
    everything = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("portal"))
    for secret in (nin, "Bopha", "Meas", person["spid"], person["id"], content["phone_number"][0]):
        assert secret not in everything


def test_build_client_embedded_default_speaks_the_full_contract(tmp_path):
    client = build_client(RegistrySettings(instance_path=str(tmp_path / "instance")))
    person = client.persons.create(person_content(), actor=ACTOR)
    assert client.persons.read_by_spid(person["spid"], actor=ACTOR)["id"] == person["id"]
    assert (tmp_path / "instance" / "registry.db").exists()
    # Another worker (or a restart) shares the secret kept in the instance folder.
    secret_file = tmp_path / "instance" / "registry-client-secret"
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    other_worker = build_client(RegistrySettings(instance_path=str(tmp_path / "instance")))
    assert other_worker.persons.exists(person["id"], actor=ACTOR)
    assert client.persons.exists(person["id"], actor=ACTOR)
    other_worker.close()
    client.close()


def test_build_client_with_url_needs_a_secret_and_uses_http(socket_url, credentials):
    with pytest.raises(ValueError, match="SECRET"):
        build_client(RegistrySettings(url=socket_url))
    settings = RegistrySettings.from_mapping(
        {
            "PORTAL_REGISTRY_URL": socket_url,
            "PORTAL_REGISTRY_CLIENT_ID": credentials["client_id"],
            "PORTAL_REGISTRY_CLIENT_SECRET": credentials["client_secret"],
        }
    )
    client = build_client(settings)
    assert client.embedded_app is None
    created = client.persons.create(person_content(), actor=ACTOR)
    assert json.loads(json.dumps(created))["spid"] == created["spid"]
    client.close()


def mock_client(registry: FlakyRegistry, **settings):
    return make_client(
        {"client_id": "c", "client_secret": "s"},
        "http://registry.test",
        transport=httpx.MockTransport(registry),
        **settings,
    )


def test_the_circuit_opens_after_failures_and_then_answers_at_once():
    registry = FlakyRegistry(failures=100)
    client = mock_client(registry, retries=0, breaker_failures=3, breaker_pause=60)
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            client.persons.read(PERSON["id"], actor=ACTOR)
    assert len(registry.calls) == 3
    with pytest.raises(RegistryUnavailable):
        client.persons.read(PERSON["id"], actor=ACTOR)
    assert len(registry.calls) == 3  # not asked again while the circuit is open


def test_the_circuit_probes_the_registry_again_after_a_pause():
    registry = FlakyRegistry(failures=2)
    client = mock_client(registry, retries=0, breaker_failures=2, breaker_pause=0.3)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            client.persons.read(PERSON["id"], actor=ACTOR)
    time.sleep(0.4)
    assert client.persons.read(PERSON["id"], actor=ACTOR) == PERSON


def test_client_errors_do_not_open_the_circuit():
    registry = FlakyRegistry(failures=100, status=404)
    client = mock_client(registry, breaker_failures=2)
    for _ in range(4):
        with pytest.raises(RegistryNotFound):
            client.persons.read(PERSON["id"], actor=ACTOR)
    assert len(registry.calls) == 4


def test_no_call_starts_once_the_deadline_has_passed():
    registry = FlakyRegistry(failures=0)
    client = flaky_client(registry)
    with deadline(0.0), pytest.raises(RegistryUnavailable):
        client.persons.read(PERSON["id"], actor=ACTOR)
    assert registry.calls == []
    assert not client.connection.breaker.opened


@pytest.mark.timed
def test_retries_stop_at_the_deadline():
    registry = FlakyRegistry(failures=100)
    client = mock_client(registry, retries=5, backoff=0.2)
    started = time.monotonic()
    with deadline(0.3), pytest.raises(RegistryUnavailable):
        client.persons.read(PERSON["id"], actor=ACTOR)
    # Tries at 0 s and after a 0.2 s pause; the next pause (0.4 s) does not fit,
    # so the client gives up at once instead of sleeping until 0.6 s.
    assert time.monotonic() - started < 0.5
    assert len(registry.calls) == 2
