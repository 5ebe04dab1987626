"""Form tokens: a session's token is signed at most once a minute and reused
within it; it never passes to another session and keeps its own hour."""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.web.test_visitor_pages import _token

START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def token_on(client, path: str) -> str:
    return _token(client.get(path).get_data(as_text=True))


def sign_in_with(client, token: str) -> int:
    return client.post("/login", data={"csrf_token": token, "phone_number": "012 345 678"})


def test_within_a_minute_a_session_gets_the_token_it_got_before(client):
    with time_machine.travel(START, tick=False) as clock:
        client.get("/login")  # the browser now holds its session id
        signed = token_on(client, "/login")
        clock.shift(30)
        assert token_on(client, "/login") == signed  # a form field
        question = client.get("/eligibility/next").location
        client.post(question, data={"csrf_token": signed, "action": "unknown"})
        # csrf_token() in a template: the screener's "start again" form
        assert token_on(client, "/eligibility") == signed
        clock.shift(31)
        renewed = token_on(client, "/login")
        assert renewed != signed
        assert sign_in_with(client, renewed).status_code == 302


def test_a_reused_token_expires_an_hour_after_it_was_signed(client):
    with time_machine.travel(START, tick=False) as clock:
        client.get("/login")
        signed = token_on(client, "/login")
        clock.shift(59)
        assert token_on(client, "/login") == signed
        clock.shift(3600 - 59 + 1)  # an hour and a second after its signing
        refused = sign_in_with(client, signed)
        assert refused.status_code == 400
        assert sign_in_with(client, _token(refused.get_data(as_text=True))).status_code == 302


def test_sessions_never_share_a_token(app):
    first, second = app.test_client(), app.test_client()
    with time_machine.travel(START, tick=False):
        for browser in (first, second):
            browser.get("/login")
        tokens = [token_on(browser, "/login") for browser in (first, second)]
        assert tokens[0] != tokens[1]
        assert sign_in_with(second, tokens[0]).status_code == 400
        assert sign_in_with(second, tokens[1]).status_code == 302
