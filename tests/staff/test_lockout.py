"""Wrong passwords and codes stop brute force without letting a stranger lock
an officer out: five failures lock the account *from that address*; many
failures from many addresses lock the whole account for a while. The officer
is told, in plain words, that the account is locked and until when."""

from __future__ import annotations

import html
import logging

from sqlalchemy import select

from portal import create_app
from portal.database import db
from portal.staff import lockout
from portal.staff.views import FAILED_SIGN_IN, LOGIN_LIMIT
from tests.conftest import make_test_config
from tests.staff.conftest import PASSWORD, TOKEN, create_staff, sign_in
from tests.support.clock import clock_texts, expected_clocks, now

WRONG = "a wrong password 123"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post(client, path: str, **data):
    csrf = TOKEN.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": csrf, **data})


def password(client, username: str, typed: str = PASSWORD):
    return post(client, "/staff/login?lang=en", username=username, password=typed)


def test_a_stranger_cannot_lock_an_officer_out(app, officer):
    username, secret = officer
    stranger = browser(app, "203.0.113.66")
    for _attempt in range(8):
        password(stranger, username, WRONG)
    assert sign_in(browser(app, "198.51.100.20"), username, secret).location == "/staff/"


def test_five_failures_lock_the_account_from_that_address_and_say_until_when(app, officer):
    username, _secret = officer
    client = browser(app, "203.0.113.66")
    started = now()
    for _attempt in range(5):
        assert str(FAILED_SIGN_IN) in text(password(client, username, WRONG))
    locked = text(password(client, username))  # even the right password
    assert "This account is locked" in locked
    assert set(clock_texts(locked, khmer=False)) <= expected_clocks(
        started + lockout.ADDRESS_LOCK, now() + lockout.ADDRESS_LOCK
    )
    assert clock_texts(locked, khmer=False)
    khmer = text(post(client, "/staff/login?lang=km", username=username, password=PASSWORD))
    assert clock_texts(khmer, khmer=True)


def test_a_lock_says_the_same_whether_or_not_the_account_exists(app, officer):
    username, _secret = officer
    client = browser(app, "203.0.113.66")
    for _attempt in range(5):
        password(client, username, WRONG)
        password(client, "nobody.here", WRONG)
    pages = [text(password(client, username)), text(password(client, "nobody.here"))]
    assert all("This account is locked" in page for page in pages)
    assert pages[0].split('name="csrf_token"')[0] == pages[1].split('name="csrf_token"')[0]


def test_failures_from_many_addresses_lock_the_whole_account(app, officer):
    username, _secret = officer
    per_address = lockout.MAX_ADDRESS_FAILURES
    addresses = -(-lockout.MAX_ACCOUNT_FAILURES // per_address)
    for number in range(addresses):
        client = browser(app, f"203.0.113.{number + 1}")
        for _attempt in range(per_address):
            password(client, username, WRONG)
    officer_browser = browser(app, "198.51.100.20")
    locked = text(password(officer_browser, username))
    assert "This account is locked" in locked
    assert clock_texts(locked, khmer=False)
    # Another account is not touched.
    other_secret = create_staff(app, "handler.chan", "grievance_handler")
    assert sign_in(officer_browser, "handler.chan", other_secret).location == "/staff/"


def test_a_right_sign_in_clears_the_failures_from_that_address(app, officer):
    username, secret = officer
    client = browser(app, "203.0.113.66")
    for _attempt in range(4):
        password(client, username, WRONG)
    assert sign_in(client, username, secret).location == "/staff/"
    fresh = browser(app, "203.0.113.66")
    for _attempt in range(4):
        password(fresh, username, WRONG)
    assert password(fresh, username).location == "/staff/login/code"


def test_the_unlock_command_lifts_every_lock(app, officer):
    username, secret = officer
    for number in range(-(-lockout.MAX_ACCOUNT_FAILURES // lockout.MAX_ADDRESS_FAILURES)):
        client = browser(app, f"203.0.113.{number + 1}")
        for _attempt in range(lockout.MAX_ADDRESS_FAILURES):
            password(client, username, WRONG)
    assert "This account is locked" in text(password(browser(app, "203.0.113.1"), username))
    result = app.test_cli_runner().invoke(args=["staff", "unlock", "--username", username])
    assert result.exit_code == 0, result.output
    assert sign_in(browser(app, "203.0.113.1"), username, secret).location == "/staff/"


def test_failures_are_counted_across_portal_processes(tmp_path):
    config = make_test_config(tmp_path)
    first, second = create_app(config), create_app(config)  # two "processes", one database
    secret = create_staff(first, "officer.sok")
    for app in (first, second, first, second, first):
        password(browser(app, "203.0.113.66"), "officer.sok", WRONG)
    for app in (first, second):
        assert "This account is locked" in text(
            password(browser(app, "203.0.113.66"), "officer.sok")
        )
    assert sign_in(browser(second, "198.51.100.20"), "officer.sok", secret).location == "/staff/"


def test_nothing_personal_is_logged_or_stored_in_the_clear(app, officer, caplog):
    username, _secret = officer
    caplog.set_level(logging.DEBUG)
    client = browser(app, "203.0.113.66")
    for _attempt in range(6):
        password(client, username, WRONG)
    assert username not in caplog.text and "203.0.113.66" not in caplog.text
    with app.app_context(), db.session() as session:
        rows = session.scalars(select(lockout.SignInFailure)).all()
    stored = " ".join(f"{row.account_key} {row.address_key}" for row in rows)
    assert rows and username not in stored and "203.0.113" not in stored


def test_a_missing_token_while_stopped_gives_the_too_many_page_not_an_error(app):
    client = browser(app, "203.0.113.66")
    per_minute = int(LOGIN_LIMIT.split()[0])
    for number in range(per_minute + 1):
        password(client, f"nobody{number}", WRONG)
    response = client.post("/staff/login", data={"username": "x", "password": WRONG})
    assert response.status_code in (400, 429)
