"""Staff test helpers: accounts made through the service, sign-in through HTTP
like a person with an authenticator app."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import StaffAccount
from portal.database import db
from portal.staff import services

PASSWORD = "long enough pass phrase 42"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
COMMUNES = {"officer": ["120101"], "analyst": ["12"]}
PROGRAMMES = {"programme_officer": ["pregnancy_child_cash"]}


def create_staff(
    app,
    username: str,
    role: str = "officer",
    password: str = PASSWORD,
    communes: list[str] | None = None,
    programmes: list[str] | None = None,
) -> str:
    """Create a local staff account (communes and programmes as its role needs
    unless given); return its TOTP secret."""
    with app.app_context(), db.session() as session:
        services.create_account(
            session,
            username=username,
            name=f"Staff {username}",
            role=role,
            communes=COMMUNES.get(role, []) if communes is None else communes,
            programmes=PROGRAMMES.get(role, []) if programmes is None else programmes,
            password=password,
            now=services.utcnow(),
        )
        stored = session.scalar(
            select(StaffAccount.totp_secret).where(StaffAccount.username == username)
        )
        return services.opened_totp_secret(stored)


def account(app, username: str) -> StaffAccount:
    with app.app_context(), db.session() as session:
        return session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def update_account(app, username: str, **values) -> None:
    with app.app_context(), db.session() as session:
        row = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


def token(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def post_form(client, path: str, **data):
    return client.post(path, data={"csrf_token": token(client, path), **data})


def enter_password(client, username: str, password: str = PASSWORD, next_path: str | None = None):
    path = "/staff/login?lang=en" + (f"&next={next_path}" if next_path else "")
    return post_form(client, path, username=username, password=password)


def enter_code(client, code: str):
    return post_form(client, "/staff/login/code", code=code)


def sign_in(client, username: str, secret: str, password: str = PASSWORD, steps_ahead: int = 0):
    """Password then the current TOTP code (or one of the next step, to sign in
    twice within 30 seconds without replaying a code)."""
    response = enter_password(client, username, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location == "/staff/login/code"
    totp = pyotp.TOTP(secret)
    code = totp.at(services.utcnow(), counter_offset=steps_ahead)
    return enter_code(client, code)


@pytest.fixture
def officer(app):
    """An officer's username and TOTP secret."""
    return "officer.sok", create_staff(app, "officer.sok", "officer")
