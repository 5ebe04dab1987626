"""Property-based contract test: every operation of openapi.yaml against the real server.

No 5xx, status codes, content types, headers and bodies as documented. Bounded to
a few examples per operation so the suite stays fast.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.registry.server.contract import CONTRACT_PATH
from tests.registry.conftest import token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def bearer(registry_app, credentials):
    with httpx.Client(
        transport=httpx.WSGITransport(app=registry_app), base_url="http://localhost"
    ) as http:
        return f"Bearer {token_for(http, credentials)}"


# Loaded from the file; requests go over a real socket to the session's registry.
# The coverage phase enumerates every boundary of every schema (minutes); bounded
# random generation keeps the run short while still covering each operation.
BOUNDED = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
contract = schemathesis.openapi.from_path(CONTRACT_PATH, config=BOUNDED)


@contract.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_follows_the_contract(case, bearer, socket_url):
    case.call_and_validate(base_url=socket_url, headers={"Authorization": bearer}, checks=CHECKS)
