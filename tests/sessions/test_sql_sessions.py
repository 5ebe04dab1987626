"""Sessions in the portal's own database (the default without Redis): on
SQLite, and on PostgreSQL when PORTAL_TEST_DATABASE_URL is set (as in CI). The
read on every request goes through the database's own driver."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from portal.database import db
from tests.conftest import development_app
from tests.sessions.conftest import copy_of
from tests.sessions.test_server_sessions import SIGNED_IN_MARK, sign_in_citizen
from tests.support.databases import fresh_database


@pytest.fixture
def sql_app(tmp_path):
    with fresh_database(tmp_path, "sessions_portal") as url:
        app = development_app(tmp_path, DATABASE_URL=url)
        yield app
        db.engine.dispose()  # PostgreSQL drops the database only when nobody is connected


def test_a_signed_in_session_is_read_back_on_the_next_request(sql_app):
    client = sql_app.test_client()
    sign_in_citizen(client, sql_app)  # asserts the next page shows the sign-in

    assert SIGNED_IN_MARK in copy_of(sql_app, client).get("/").get_data(as_text=True)


def test_an_expired_record_is_not_read(sql_app):
    client = sql_app.test_client()
    client.get("/eligibility?lang=en")  # the language choice is kept in the session
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)

    later = dt.datetime.now(dt.UTC) + sql_app.config["PERMANENT_SESSION_LIFETIME"]
    with time_machine.travel(later + dt.timedelta(minutes=1), tick=False):
        page = client.get("/", headers={"Accept-Language": "km"}).get_data(as_text=True)

    assert '<html lang="km">' in page


def test_an_unknown_or_malformed_cookie_is_an_empty_session(sql_app):
    client = sql_app.test_client()
    client.set_cookie("portal_session", "x" * 43)
    assert SIGNED_IN_MARK not in client.get("/").get_data(as_text=True)
    client.set_cookie("portal_session", "'; DROP TABLE web_sessions; --")
    assert client.get("/").status_code == 200
    sign_in_citizen(sql_app.test_client(), sql_app)  # the table is still there
