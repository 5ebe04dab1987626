"""OAuth2 client credentials, scopes, actor headers and request limits."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from portal.registry.client import RegistryForbidden, RegistryUnauthorized
from tests.registry.conftest import (
    actor_headers,
    build_registry_app,
    make_client,
    new_credentials,
    token_for,
)
from tests.registry.factories import person_content

READ = {"query": {"content": {"id": "00000000-0000-4000-8000-000000000000"}}}


def test_token_request_is_form_encoded_and_scoped(http, credentials):
    response = http.post(
        "/oauth2/client/token",
        data={"grant_type": "client_credentials", "scope": "registry.read"},
        auth=(credentials["client_id"], credentials["client_secret"]),
    )
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"].lower() == "bearer"
    assert token["scope"] == "registry.read"
    assert 0 < token["expires_in"] <= 900


def test_bad_client_secret_gets_no_token(http, credentials):
    response = http.post(
        "/oauth2/client/token",
        data={"grant_type": "client_credentials"},
        auth=(credentials["client_id"], "wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic abc"])
def test_no_or_bad_token_is_401_with_dci_error_body(http, authorization):
    headers = actor_headers()
    if authorization:
        headers["Authorization"] = authorization
    response = http.post("/data/persons/1.0/read", json=READ, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {"code": "err.request.unauthorized", "message": "A valid bearer token is required."}
        ]
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_scope_is_403(http, credentials):
    token = token_for(http, credentials, scope="registry.read")
    response = http.post(
        "/registry/sync/search", json={"header": {}, "message": {}}, headers=actor_headers(token)
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "err.request.forbidden"


def test_client_cannot_get_scopes_it_was_not_given(http, registry_app):
    credentials = new_credentials(registry_app, ["registry.read"])
    token = token_for(http, credentials, scope="registry.read registry.write")
    response = http.post(
        "/data/persons/1.0/create",
        json={"write": {"content": person_content()}},
        headers=actor_headers(token),
    )
    assert response.status_code == 403


def test_expired_token_is_401_and_the_client_renews_its_token(database_url, tmp_path):
    app = build_registry_app(database_url, tmp_path, REGISTRY_TOKEN_TTL=1)
    credentials = new_credentials(app)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost") as http:
        token = token_for(http, credentials)
        time.sleep(1.1)
        expired = http.post("/data/persons/1.0/read", json=READ, headers=actor_headers(token))
        assert expired.status_code == 401
    client = make_client(
        credentials, "http://localhost", transport=httpx.WSGITransport(app=app), token_leeway=0
    )
    from portal.registry.client import Actor

    actor = Actor(actor="staff:t", purpose="renewal-test")
    person = client.persons.create(person_content(), actor=actor)
    first_token = client.connection._http.token["access_token"]
    time.sleep(1.1)
    assert client.persons.read(person["id"], actor=actor)["id"] == person["id"]
    assert client.connection._http.token["access_token"] != first_token
    client.close()
    app.extensions["registry.engine"].dispose()


def test_a_token_the_registry_refuses_is_renewed_once_and_the_request_sent_again(
    registry_app, actor
):
    credentials = new_credentials(registry_app)
    client = make_client(credentials, "http://localhost", httpx.WSGITransport(app=registry_app))
    person = client.persons.create(person_content(), actor=actor)
    # A token this client believes good for an hour, which the registry does not know
    # (revoked, or issued before its clock said it expired).
    client.connection._http.token = {
        "access_token": "revoked",
        "token_type": "Bearer",
        "expires_at": int(time.time()) + 3600,
    }

    assert client.persons.read(person["id"], actor=actor)["id"] == person["id"]
    assert client.connection._http.token["access_token"] != "revoked"
    client.close()


def test_client_maps_refused_credentials_and_scopes(registry_app, actor):
    transport = httpx.WSGITransport(app=registry_app)
    bogus = make_client(
        {"client_id": "nobody", "client_secret": "x"}, "http://localhost", transport
    )
    with pytest.raises(RegistryUnauthorized):
        bogus.persons.read("00000000-0000-4000-8000-000000000000", actor=actor)
    reader = make_client(
        new_credentials(registry_app, ["registry.read"]), "http://localhost", transport
    )
    with pytest.raises(RegistryForbidden):
        reader.persons.create(person_content(), actor=actor)


@pytest.mark.parametrize("missing", ["X-Actor", "X-On-Behalf-Of", "X-Purpose"])
def test_actor_headers_are_required_on_personal_data(http, credentials, missing):
    headers = actor_headers(token_for(http, credentials))
    del headers[missing]
    response = http.post("/data/persons/1.0/read", json=READ, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "err.actor.missing"
    assert missing in response.json()["errors"][0]["message"]


def test_body_size_is_limited(http, credentials):
    headers = actor_headers(token_for(http, credentials))
    content = person_content(name={"given_name": "x" * 300_000, "surname": "y"})
    response = http.post(
        "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "err.request.too_large"


def test_body_must_be_json(http, credentials):
    headers = actor_headers(token_for(http, credentials))
    as_form = http.post("/data/persons/1.0/read", data={"a": "b"}, headers=headers)
    assert as_form.status_code == 415
    broken = http.post(
        "/data/persons/1.0/read",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400


def test_cli_creates_a_client_whose_credentials_work(registry_app, http):
    runner = registry_app.test_cli_runner()
    result = runner.invoke(
        args=["registry-client", "create", "cli-made", "--scopes", "registry.search registry.read"]
    )
    assert result.exit_code == 0, result.output
    credentials = json.loads(result.output)
    assert set(credentials) == {"client_id", "client_secret"}
    token = token_for(http, credentials)
    assert token
    refused = runner.invoke(args=["registry-client", "create", "x", "--scopes", "root"])
    assert refused.exit_code != 0


def test_health_and_contract_are_public(http):
    assert http.get("/healthz").json() == {"status": "ok", "database": "ok"}
    document = http.get("/openapi.yaml")
    assert document.status_code == 200
    assert "/registry/sync/search" in document.text
    assert "/data/persons/1.0/{person_id}/access-log" in document.text
