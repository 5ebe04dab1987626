"""Business rules of local staff accounts, with the clock passed in."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import StaffAccount
from portal.database import db
from portal.staff import services
from portal.staff.oidc import member_from_claims

T0 = dt.datetime(2026, 11, 21, 8, 0, 0, tzinfo=dt.UTC)
PASSWORD = "long enough pass phrase 42"
HERE = "198.51.100.20"
ELSEWHERE = "203.0.113.66"


@pytest.fixture
def session(app):
    with app.app_context(), db.session() as session:
        yield session


@pytest.fixture
def officer(session):
    services.create_account(
        session,
        username="officer",
        name="Officer",
        role="officer",
        communes=["120101"],
        password=PASSWORD,
        now=T0,
    )
    return session.scalar(select(StaffAccount).where(StaffAccount.username == "officer"))


def test_five_failures_lock_for_fifteen_minutes_then_the_account_opens(session, officer):
    for minute in range(5):
        now = T0 + dt.timedelta(minutes=minute)
        assert services.check_password(session, "officer", "wrong password!!", now, HERE) is None
    locked_at = T0 + dt.timedelta(minutes=4)
    with pytest.raises(services.SignInLocked) as locked:
        services.check_password(session, "officer", PASSWORD, locked_at, HERE)
    assert locked.value.until == locked_at + dt.timedelta(minutes=15)
    just_before = locked_at + dt.timedelta(minutes=14, seconds=59)
    with pytest.raises(services.SignInLocked):
        services.check_password(session, "officer", PASSWORD, just_before, HERE)
    # The lock holds from that address only.
    assert services.check_password(session, "officer", PASSWORD, locked_at, ELSEWHERE) == officer.id
    after = locked_at + dt.timedelta(minutes=15, seconds=1)
    assert services.check_password(session, "officer", PASSWORD, after, HERE) == officer.id
    # After a lock, it takes five new failures to lock again.
    for second in range(4):
        wrong_at = after + dt.timedelta(seconds=second)
        assert (
            services.check_password(session, "officer", "wrong password!!", wrong_at, HERE) is None
        )
    assert services.check_password(session, "officer", PASSWORD, after, HERE) == officer.id


def test_the_code_accepts_one_step_of_drift_and_never_twice(session, officer):
    totp = pyotp.TOTP(services.opened_totp_secret(officer.totp_secret))
    password_ok = services.check_password(session, "officer", PASSWORD, T0, HERE)
    late_code = totp.at(T0 - dt.timedelta(seconds=30))
    member = services.check_code(session, password_ok, late_code, T0, HERE)
    assert member.role == "officer" and member.commune_codes == ("120101",)
    assert services.check_code(session, password_ok, late_code, T0, HERE) is None  # replay
    # An older code than the one used is refused too; the next one works.
    older = totp.at(T0 - dt.timedelta(seconds=60))
    assert services.check_code(session, password_ok, older, T0, HERE) is None
    later = T0 + dt.timedelta(seconds=30)
    assert services.check_code(session, password_ok, totp.at(later), later, HERE) is not None
    far = T0 + dt.timedelta(minutes=5)
    stale = totp.at(T0 + dt.timedelta(seconds=60))
    assert services.check_code(session, password_ok, stale, far, HERE) is None


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short", "at least 12 characters"),
        ("aaaaaaaaaaaaaa", "one character repeated"),
        ("my-officer-password", "must not contain the username"),
        ("x" * 257, "at most 256 characters"),
    ],
)
def test_password_policy(app, password, expected):
    with app.test_request_context("/?lang=en"):
        problems = [str(problem) for problem in services.password_problems(password, "officer")]
    assert any(expected in problem for problem in problems), problems


def test_a_good_password_passes_the_policy(app):
    with app.test_request_context("/?lang=en"):
        assert services.password_problems("three words together", "officer") == []


def test_create_checks_role_username_and_communes(session):
    with pytest.raises(services.StaffAccountError) as refused:
        services.create_account(
            session,
            username="No Spaces Allowed",
            name=" ",
            role="citizen",
            communes=["12010"],
            password=PASSWORD,
            now=T0,
        )
    assert len(refused.value.messages) == 4


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/", "/staff/"),
        ("/officer/visits?page=2", "/officer/visits?page=2"),
        ("/backoffice", "/backoffice"),
        ("/admin/users", "/admin/users"),
        ("//evil.example/staff", None),
        ("https://evil.example/staff", None),
        ("/\\evil.example", None),
        ("/staffing", None),
        ("/me", None),
        ("javascript:alert(1)", None),
        ("/staff/\r\nLocation: https://evil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next(target, expected):
    assert services.safe_next(target) == expected


def test_member_from_claims():
    member = member_from_claims(
        {
            "sub": "abc",
            "name": "Dara",
            "roles": "viewer grievance_handler admin",
            "commune_codes": "120101,999",
        }
    )
    assert member.role == "grievance_handler"
    assert member.commune_codes == ("120101",)
    assert member.username == "abc" and member.method == "oidc"
    assert member_from_claims({"sub": "abc", "roles": ["citizen"]}) is None
    assert member_from_claims({"sub": "abc"}) is None
