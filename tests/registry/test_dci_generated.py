"""Requests generated from the official DCI social API (not from our contract)
get answers the official response schema accepts, over a real socket."""

from __future__ import annotations

import json

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.registry.conftest import new_credentials, token_for
from tests.registry.dci_official import STANDARDS, problems, require_standards

OFFICIAL = STANDARDS / "social_api_v1.0.0.yaml"
BOUNDED = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)


def _official_contract():
    if not OFFICIAL.exists():
        return None
    return schemathesis.openapi.from_path(OFFICIAL, config=BOUNDED).include(
        path="/registry/sync/search"
    )


official = _official_contract()


@pytest.fixture(scope="module")
def bearer(registry_app):
    credentials = new_credentials(registry_app, ["registry.search"])
    with httpx.Client(
        transport=httpx.WSGITransport(app=registry_app), base_url="http://localhost"
    ) as http:
        return f"Bearer {token_for(http, credentials)}"


def _hostile(body: object) -> bool:
    """Text our hostile-input rules refuse (422) though the schema allows it:
    NUL characters or lone surrogates."""
    text = json.dumps(body, ensure_ascii=False)
    return "\\u0000" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


if official is None:

    def test_requests_generated_from_the_official_specification():
        require_standards()

else:

    @official.parametrize()
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def test_requests_generated_from_the_official_specification(case, bearer, socket_url):
        response = case.call(base_url=socket_url, headers={"Authorization": bearer})
        body = response.json()
        if response.status_code == 200:
            assert problems("sync_search_response", body) == [], case.body
            return
        assert problems("http_error_response", body) == []
        codes = {error["code"] for error in body["errors"]}
        encrypted = isinstance(case.body, dict) and (
            (case.body.get("header") or {}).get("is_msg_encrypted") is True
            or "ciphertext" in (case.body.get("message") or {})
        )
        valid = not problems("sync_search_request", case.body)
        if response.status_code == 400 and encrypted:
            assert codes == {"err.encryption.invalid"}
        elif response.status_code == 422 and _hostile(case.body):
            assert codes == {"err.validation"}
        else:
            # Anything else the official schema accepts must be answered (200).
            assert not valid, (response.status_code, body, case.body)
