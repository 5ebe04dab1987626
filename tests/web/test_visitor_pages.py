"""The pages that say the same to every first-time visitor are made once and
given again; anyone with something in their session gets their own page."""

from __future__ import annotations

import pytest

from tests.sessions.test_server_sessions import SIGNED_IN_MARK, sign_in_citizen

SAME_FOR_EVERYONE = ["/", "/about/data", "/eligibility", "/login"]


@pytest.mark.parametrize("path", SAME_FOR_EVERYONE)
def test_a_first_visit_page_is_made_once(app, renders, path):
    first = app.test_client().get(path, headers={"Accept-Language": "km"})
    made = len(renders)
    second = app.test_client().get(path, headers={"Accept-Language": "km"})

    assert made == 1
    assert len(renders) == 1
    if path == "/login":  # a form: the same page with each visitor's own token
        assert _token(first.get_data(as_text=True)) != _token(second.get_data(as_text=True))
        assert "Set-Cookie" in second.headers
    else:
        assert second.get_data() == first.get_data()
        assert "Set-Cookie" not in second.headers


def test_each_visitor_signs_in_with_their_own_token(app):
    visitors = [app.test_client() for _ in range(3)]
    tokens = [_token(visitor.get("/login").get_data(as_text=True)) for visitor in visitors]

    assert len(set(tokens)) == 3
    for visitor, token in zip(visitors, tokens, strict=True):
        sent = visitor.post("/login", data={"csrf_token": token, "phone_number": "012 345 678"})
        assert sent.status_code == 302
        assert sent.location.endswith("/login/verify")
    stolen = app.test_client()
    stolen.get("/login")
    refused = stolen.post("/login", data={"csrf_token": tokens[0], "phone_number": "012345678"})
    assert refused.status_code != 302


def test_each_language_has_its_own_page(app):
    khmer = app.test_client().get("/", headers={"Accept-Language": "km"})
    english = app.test_client().get("/", headers={"Accept-Language": "en"})
    chosen = app.test_client().get("/?lang=en", headers={"Accept-Language": "km"})

    assert '<html lang="km">' in khmer.get_data(as_text=True)
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<html lang="en">' in chosen.get_data(as_text=True)


def test_a_signed_in_citizen_gets_their_own_page(app, client, renders):
    app.test_client().get("/")  # the page every visitor gets is made
    sign_in_citizen(client, app)

    assert SIGNED_IN_MARK in client.get("/").get_data(as_text=True)
    assert SIGNED_IN_MARK not in app.test_client().get("/").get_data(as_text=True)


def test_a_screener_in_progress_is_not_forgotten(app, client):
    app.test_client().get("/eligibility")
    token = client.get("/eligibility/q/birth-date").get_data(as_text=True)
    assert "csrf_token" in token
    client.post(
        "/eligibility/q/birth-date", data={"action": "unknown", "csrf_token": _token(token)}
    )

    assert "/eligibility/restart" in client.get("/eligibility").get_data(as_text=True)
    assert "/eligibility/restart" not in app.test_client().get("/eligibility").get_data(
        as_text=True
    )


def _token(page: str) -> str:
    return page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
