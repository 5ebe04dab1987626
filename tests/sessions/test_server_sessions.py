"""Sessions live on the server; the cookie carries only a random id. Signing
out, the time limits, a password change and a deactivation end the stored
session, so a copied cookie is anonymous afterwards."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.database import db
from portal.web.session_store import WebSession
from tests.accounts.conftest import ask_for_code, enter_code, last_code
from tests.sessions.conftest import copy_of, stored_sessions
from tests.staff.conftest import create_staff, sign_in

SIGNED_IN_MARK = 'action="/logout"'


def sign_in_citizen(client, app, phone="012 345 678"):
    ask_for_code(client, phone)
    response = enter_code(client, last_code(app))
    assert response.status_code == 302
    assert SIGNED_IN_MARK in client.get("/").get_data(as_text=True)


def test_the_cookie_is_only_a_random_id(app, client):
    sign_in_citizen(client, app)
    cookie = client.get_cookie("portal_session").value
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie)
    with app.app_context(), db.session() as session:
        stored = session.scalars(select(WebSession)).all()
    assert len(stored) == 1
    assert stored[0].key != cookie and cookie not in stored[0].data  # a keyed hash of the id


def test_a_copied_citizen_cookie_is_anonymous_after_sign_out(app, client):
    sign_in_citizen(client, app)
    thief = copy_of(app, client)
    assert SIGNED_IN_MARK in thief.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _token(client)})
    assert SIGNED_IN_MARK not in thief.get("/").get_data(as_text=True)
    assert stored_sessions(app, signed_in=True) == 0


def test_a_copied_staff_cookie_is_anonymous_after_sign_out(app, client):
    sign_in(client, "officer.copy", create_staff(app, "officer.copy"))
    thief = copy_of(app, client)
    assert thief.get("/staff/").status_code == 200
    client.post("/staff/logout", data={"csrf_token": _token(client, "/staff/")})
    assert thief.get("/staff/").location.startswith("/staff/login")


@pytest.mark.parametrize("token", [None, "expired-or-forged"])
def test_sign_out_works_without_a_valid_token(app, client, token):
    sign_in_citizen(client, app)
    data = {"csrf_token": token} if token else {}
    response = client.post("/logout", data=data)
    assert response.status_code == 302
    assert SIGNED_IN_MARK not in client.get("/").get_data(as_text=True)


def test_staff_sign_out_works_without_a_valid_token(app, client):
    sign_in(client, "officer.expired", create_staff(app, "officer.expired"))
    response = client.post("/staff/logout", data={"csrf_token": "expired"})
    assert response.status_code == 302
    assert client.get("/staff/").location.startswith("/staff/login")


def test_the_idle_limit_deletes_the_stored_session(app, client):
    sign_in_citizen(client, app)
    thief = copy_of(app, client)
    with client.session_transaction() as session:
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
        session["last_seen"] = long_ago.isoformat()
    assert SIGNED_IN_MARK not in client.get("/").get_data(as_text=True)
    assert SIGNED_IN_MARK not in thief.get("/").get_data(as_text=True)
    assert stored_sessions(app, signed_in=True) == 0


def test_the_absolute_limit_deletes_the_stored_session(app, client):
    sign_in_citizen(client, app)
    thief = copy_of(app, client)
    with client.session_transaction() as session:
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=13)
        session["signed_in_at"] = long_ago.isoformat()
    client.get("/")
    assert SIGNED_IN_MARK not in thief.get("/").get_data(as_text=True)


def test_deactivation_from_the_command_line_ends_every_session(app, client):
    sign_in(client, "officer.gone", create_staff(app, "officer.gone"))
    result = app.test_cli_runner().invoke(
        args=["staff", "deactivate", "--username", "officer.gone"]
    )
    assert result.exit_code == 0, result.output
    assert stored_sessions(app, signed_in=True) == 0
    assert client.get("/staff/").location.startswith("/staff/login")


def test_an_anonymous_visitor_gets_no_stored_session_until_they_answer(app, client):
    for path in ("/", "/login", "/eligibility", "/eligibility/q/birth-date", "/staff/login"):
        assert client.get(path).status_code in (200, 302)
    assert stored_sessions(app) == 0
    assert client.get_cookie("portal_session") is not None  # the forms' token needs an id
    page = client.get("/eligibility/q/sex").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    client.post("/eligibility/q/sex", data={"csrf_token": token, "answer": "female"})
    assert stored_sessions(app) == 1


def test_pages_without_a_form_set_no_cookie(client):
    response = client.get("/")
    assert "Set-Cookie" not in response.headers


def test_an_unknown_or_malformed_session_id_is_anonymous(app, client):
    for value in ("x" * 43, "not-an-id", "a" * 500, "../../etc/passwd"):
        client.set_cookie("portal_session", value)
        assert client.get("/").status_code == 200
    assert stored_sessions(app) == 0


def _token(client, path="/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_signing_out_leaves_nothing_stored_but_what_the_next_page_shows(app, client):
    sign_in_citizen(client, app)
    client.post("/logout")
    client.get("/")  # the "you are signed out" message is shown, then gone
    assert stored_sessions(app) == 0
