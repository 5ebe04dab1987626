"""``flask registry-client deactivate``: the client's tokens stop working within seconds."""

from __future__ import annotations

import json
import time
import uuid

import httpx

from tests.registry.conftest import actor_headers, token_for

REFUSED_WITHIN_SECONDS = 3.0


def _create_client(runner, name: str) -> dict[str, str]:
    result = runner.invoke(
        args=["registry-client", "create", name, "--scopes", "registry.read registry.search"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _status_within(http: httpx.Client, token: str, wanted: int, seconds: float) -> int:
    """Ask until the answer is ``wanted`` or the time is up; the last status."""
    deadline = time.monotonic() + seconds
    while True:
        status = http.get("/data/persons/1.0?pageSize=1", headers=actor_headers(token)).status_code
        if status == wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def test_a_deactivated_clients_tokens_are_refused_within_seconds(registry_app, http):
    runner = registry_app.test_cli_runner()
    name = f"deactivate-{uuid.uuid4().hex[:8]}"
    credentials = _create_client(runner, name)
    token = token_for(http, credentials)
    assert http.get("/data/persons/1.0?pageSize=1", headers=actor_headers(token)).status_code == 200

    result = runner.invoke(args=["registry-client", "deactivate", name])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert outcome["client_id"] == credentials["client_id"]
    assert outcome["revoked_tokens"] == 1

    assert _status_within(http, token, 401, REFUSED_WITHIN_SECONDS) == 401
    again = http.post(
        "/oauth2/client/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials["client_id"], credentials["client_secret"]),
    )
    assert again.status_code == 401
    assert again.json()["error"] == "invalid_client"


def test_other_clients_keep_working(registry_app, http, credentials):
    runner = registry_app.test_cli_runner()
    name = f"deactivate-{uuid.uuid4().hex[:8]}"
    _create_client(runner, name)
    assert runner.invoke(args=["registry-client", "deactivate", name]).exit_code == 0
    token = token_for(http, credentials)
    assert http.get("/data/persons/1.0?pageSize=1", headers=actor_headers(token)).status_code == 200


def test_deactivating_an_unknown_client_is_a_usage_error(registry_app):
    result = registry_app.test_cli_runner().invoke(
        args=["registry-client", "deactivate", "no-such-client"]
    )
    assert result.exit_code == 2
    assert "no client is named" in result.output
