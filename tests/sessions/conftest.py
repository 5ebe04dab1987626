from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.database import db
from portal.web.session_store import WebSession
from tests.conftest import development_app


@pytest.fixture
def app(tmp_path):
    return development_app(tmp_path)


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    other = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    other.set_cookie(cookie.key, cookie.value)
    return other


def stored_sessions(app, signed_in: bool = False) -> int:
    """How many sessions the portal's database holds (signed-in ones only, if asked)."""
    with app.app_context(), db.session() as session:
        rows = session.scalars(select(WebSession.data)).all()
    if signed_in:
        rows = [data for data in rows if '"citizen"' in data or '"staff"' in data]
    return len(rows)
