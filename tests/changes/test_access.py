"""Only a signed-in citizen linked to a registry record reaches these pages."""

from __future__ import annotations

import pytest

from tests.changes.conftest import sign_in

PATHS = [
    "/me/changes",
    "/me/changes/new",
    "/me/changes/new/province",
    "/me/changes/new/check",
    "/me/changes/sent",
    "/me/changes/ebe29b4d-e4cc-58e1-83eb-a56394930c3c",
    "/me/changes/ebe29b4d-e4cc-58e1-83eb-a56394930c3c/withdraw",
]


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_visitors_are_sent_to_sign_in(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.parametrize("path", PATHS)
def test_a_citizen_with_no_registry_record_is_sent_to_register(app, path):
    client = app.test_client()
    sign_in(app, client, "012 987 654")  # no one in the registry has this number
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == "/register"


def test_a_post_without_signing_in_changes_nothing(app):
    response = app.test_client().post("/me/changes/new", data={"request_type": "address"})
    assert response.status_code in (302, 400)
