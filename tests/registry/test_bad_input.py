"""Bad input gets a 4xx with the contract's error body, never a 500.

Table-driven over the contract: every list filter of every record type, every
create route. Run on PostgreSQL too: it refuses NUL in text, SQLite does not.
"""

from __future__ import annotations

import base64
import json
import uuid

import httpx
import pytest

from portal.registry.server.contract import contract, schema_validator
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import household_content, new_id, person_content
from tests.registry.test_search import dci_request

_NOT_FILTERS = {"page", "pageSize", "ordering"}


def _parameter(parameter: dict) -> dict:
    if "$ref" in parameter:
        return contract()["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[-1]]
    return parameter


def _list_filters() -> list[tuple[str, str]]:
    """(list path, filter name) for every filter the contract documents."""
    found = []
    for path, operations in contract()["paths"].items():
        if not path.startswith("/data/") or "get" not in operations or "{" in path:
            continue
        for parameter in map(_parameter, operations["get"].get("parameters", [])):
            if parameter["in"] == "query" and parameter["name"] not in _NOT_FILTERS:
                found.append((path, parameter["name"]))
    return found


LIST_FILTERS = _list_filters()
CREATE_PATHS = sorted(path for path in contract()["paths"] if path.endswith("/create"))


def assert_error_body(response: httpx.Response, status: int, schema: str = "Error") -> None:
    assert response.status_code == status, response.text
    schema_validator(schema).validate(response.json())


def post_json_text(http: httpx.Client, path: str, text: str, headers: dict) -> httpx.Response:
    """Send ``text`` as the JSON body exactly as written (httpx would refuse some of it)."""
    return http.post(
        path, content=text.encode(), headers={**headers, "Content-Type": "application/json"}
    )


@pytest.fixture
def headers(http, credentials) -> dict[str, str]:
    return actor_headers(token_for(http, credentials))


@pytest.fixture
def spid(http, headers) -> str:
    created = http.post(
        "/data/persons/1.0/create", json={"write": {"content": person_content()}}, headers=headers
    )
    assert created.status_code == 201, created.text
    return created.json()["spid"]


def test_the_tables_cover_every_record_type():
    kinds = {"persons", "households", "applications", "grievances", "consents", "change-requests"}
    # /data/activity/1.0 is no record type, but its query values are checked the same way.
    assert {path.split("/")[2] for path, _name in LIST_FILTERS} == kinds | {"activity"}
    assert {path.split("/")[2] for path in CREATE_PATHS} == kinds


@pytest.mark.parametrize("how", ["form", "basic"])
def test_token_request_with_a_nul_client_id_is_refused(http, how):
    form = {"grant_type": "client_credentials"}
    auth_header = {}
    if how == "form":
        form.update(client_id="\x00", client_secret="x")
    else:
        auth_header["Authorization"] = "Basic " + base64.b64encode(b"%00:x").decode()
    response = http.post("/oauth2/client/token", data=form, headers=auth_header)
    assert response.status_code in (400, 401), response.text
    schema_validator("OAuthError").validate(response.json())
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(("path", "name"), LIST_FILTERS)
def test_nul_in_a_list_filter_is_422(http, headers, path, name):
    response = http.get(f"{path}?{name}=%00", headers=headers)
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == name


@pytest.mark.parametrize(("path", "name"), LIST_FILTERS)
def test_an_empty_list_filter_is_422_not_no_filter(http, headers, path, name):
    response = http.get(f"{path}?{name}=", headers=headers)
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == name


def test_nul_in_the_access_log_path_is_422(http, headers):
    response = http.get("/data/persons/1.0/%00/access-log", headers=headers)
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == "person_id"


@pytest.mark.parametrize("field", ["sender_id", "message_id"])
def test_nul_in_a_dci_header_is_422(http, headers, field):
    body = dci_request({"type": "NIN", "value": "1"}, "idtype-value")
    body["header"][field] = "a\x00b"
    response = http.post("/registry/sync/search", json=body, headers=headers)
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == f"header.{field}"


@pytest.mark.parametrize("path", CREATE_PATHS)
@pytest.mark.parametrize("where", ["whole body", "content"])
def test_json_nested_1000_deep_is_400(http, headers, path, where):
    nested = "[" * 1000 + "]" * 1000
    text = nested if where == "whole body" else f'{{"write": {{"content": {nested}}}}}'
    assert_error_body(post_json_text(http, path, text, headers), 400)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_must_be_finite(http, headers, spid, number):
    # Application facts are free-form: the one place a number is stored as sent.
    content = {"id": new_id(), "programme_id": "family-package", "applicant_spid": spid}
    text = json.dumps({"write": {"content": {**content, "channel": "web", "facts": {"n": 1}}}})
    response = post_json_text(
        http, "/data/applications/1.0/create", text.replace('"n": 1', f'"n": {number}'), headers
    )
    assert_error_body(response, 400)


def _text_slots(spid: str) -> dict[str, tuple[dict, tuple[str, ...]]]:
    """For each record type: valid content, and the path of a free-text field in it."""
    return {
        "persons": (person_content(), ("name", "given_name")),
        "households": (
            household_content(
                [(spid, "head")], address={"village_code": "01020101", "address_line": "x"}
            ),
            ("address", "address_line"),
        ),
        "applications": (
            {
                "id": new_id(),
                "programme_id": "family-package",
                "applicant_spid": spid,
                "channel": "web",
                "facts": {"note": "x"},
            },
            ("facts", "note"),
        ),
        "grievances": (
            {
                "id": new_id(),
                "category": "payment",
                "description": "x",
                "channel": "web",
                "complainant": {"anonymous": True},
            },
            ("description",),
        ),
        "consents": (
            {
                "id": new_id(),
                "individual_spid": spid,
                "purpose": "data_sharing",
                "legal_basis": "consent",
                "opt_in": True,
                "collected_by": "x",
                "collected_at": "2025-03-01T09:30:00+07:00",
            },
            ("collected_by",),
        ),
        "change-requests": (
            {
                "id": new_id(),
                "person_spid": spid,
                "request_type": "name",
                "proposed_changes": {"name": {"given_name": "x", "surname": "Chan"}},
            },
            ("proposed_changes", "name", "given_name"),
        ),
    }


@pytest.mark.parametrize(
    "kind", ["persons", "households", "applications", "grievances", "consents", "change-requests"]
)
@pytest.mark.parametrize("bad_text", ["a\x00b", "\ud800"], ids=["nul", "lone-surrogate"])
def test_text_the_database_cannot_store_is_422(http, headers, spid, kind, bad_text):
    content, slot = _text_slots(spid)[kind]
    parent = content
    for name in slot[:-1]:
        parent = parent[name]
    parent[slot[-1]] = bad_text
    # json.dumps escapes the surrogate as \ud800, as a client in another language would.
    text = json.dumps({"write": {"content": content}})
    response = post_json_text(http, f"/data/{kind}/1.0/create", text, headers)
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == ".".join(("write", "content", *slot))


def test_a_birth_date_in_the_future_is_refused(http, headers):
    content = person_content(birth_date="9999-12-31")
    response = http.post(
        "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
    )
    assert_error_body(response, 422)
    assert response.json()["errors"][0]["field"] == "write.content.birth_date"
    corrected = http.post(
        "/data/persons/1.0/create",
        json={"write": {"content": {**content, "birth_date": "2001-02-03"}}},
        headers=headers,
    )
    assert corrected.status_code == 201, corrected.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/data/persons/1.0/create", "POST"),
        ("POST", "/data/households/1.0", "GET"),
        ("GET", "/registry/sync/search", "POST"),
        ("DELETE", "/data/grievances/1.0/update", "PUT"),
    ],
)
def test_method_not_allowed_says_what_is(http, headers, method, path, allowed):
    response = http.request(method, path, headers=headers)
    assert_error_body(response, 405)
    assert allowed in {m.strip() for m in response.headers["Allow"].split(",")}


def test_a_chunked_body_over_the_limit_is_413(socket_url, credentials):
    def chunks():
        yield b'{"write": {"content": {"name": {"given_name": "'
        for _ in range(300):
            yield b"x" * 1024
        yield b'", "surname": "y"}}}}'

    with httpx.Client(base_url=socket_url) as http:
        headers = {
            **actor_headers(token_for(http, credentials)),
            "Content-Type": "application/json",
        }
        response = http.post("/data/persons/1.0/create", content=chunks(), headers=headers)
        assert "Content-Length" not in response.request.headers
        assert_error_body(response, 413)


def test_a_chunked_body_under_the_limit_is_read_whole(socket_url, credentials):
    content = json.dumps({"write": {"content": person_content()}}).encode()

    def chunks():
        for start in range(0, len(content), 64):
            yield content[start : start + 64]

    with httpx.Client(base_url=socket_url) as http:
        headers = {
            **actor_headers(token_for(http, credentials)),
            "Content-Type": "application/json",
        }
        response = http.post("/data/persons/1.0/create", content=chunks(), headers=headers)
        assert response.status_code == 201, response.text


def test_unknown_uuid_in_the_access_log_path_is_still_404(http, headers):
    response = http.get(f"/data/persons/1.0/{uuid.uuid4()}/access-log", headers=headers)
    assert_error_body(response, 404)
