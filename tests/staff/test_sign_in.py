"""Staff sign-in over HTTP: password, then a TOTP code; lockout; redirects;
password change; sign-out."""

from __future__ import annotations

import datetime as dt
import html

import pyotp

from portal.khmer import to_khmer_digits
from portal.staff import services
from portal.staff.views import FAILED_CODE, FAILED_SIGN_IN, LOGIN_LIMIT
from tests.staff.conftest import (
    PASSWORD,
    create_staff,
    enter_code,
    enter_password,
    post_form,
    sign_in,
    update_account,
)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_password_and_code_sign_a_staff_member_in(client, officer):
    username, secret = officer
    assert client.get("/staff/").location.startswith("/staff/login?next=/staff/")

    response = enter_password(client, username)
    assert response.location == "/staff/login/code"
    # Half signed in: the password alone opens nothing.
    assert client.get("/staff/").status_code == 302

    response = enter_code(client, pyotp.TOTP(secret).now())
    assert response.status_code == 302
    assert response.location == "/staff/"
    home = text(client.get("/staff/?lang=en"))
    assert "Staff officer.sok" in home
    assert "Commune officer" in home
    assert "Tonle Basak (120101)" in home
    assert "shared computer" in home


def test_the_code_may_be_typed_in_khmer_digits(client, officer):
    username, secret = officer
    enter_password(client, username)
    response = enter_code(client, to_khmer_digits(pyotp.TOTP(secret).now()))
    assert response.location == "/staff/"


def test_wrong_password_and_unknown_user_answer_alike(client, officer):
    # A lock now says until when, alike for a username that exists and one that
    # does not: tests/staff/test_lockout.py.
    username, _secret = officer
    pages = [
        enter_password(client, username, "a wrong password 123"),
        enter_password(client, "nobody.here", PASSWORD),
    ]
    for response in pages:
        assert response.status_code == 200
        assert str(FAILED_SIGN_IN) in text(response)
    bodies = {text(response).split('name="csrf_token"')[0] for response in pages}
    assert len(bodies) == 1  # the same page whatever the reason


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    client, app, officer, monkeypatch
):
    username, secret = officer
    for _attempt in range(5):
        enter_password(client, username, "a wrong password 123")
    locked_at = services.utcnow()
    locked = text(enter_password(client, username, PASSWORD))
    assert str(FAILED_SIGN_IN) not in locked
    assert "This account is locked after too many wrong tries" in locked

    almost = locked_at + dt.timedelta(minutes=14, seconds=50)
    monkeypatch.setattr(services, "utcnow", lambda: almost)
    assert "This account is locked" in text(enter_password(client, username, PASSWORD))
    # Fifteen minutes later, the right password works.
    later = locked_at + dt.timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(services, "utcnow", lambda: later)
    assert sign_in(client, username, secret).location == "/staff/"


def test_wrong_codes_count_towards_the_lockout(client, app, officer):
    username, secret = officer
    enter_password(client, username)
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        response = enter_code(client, wrong)
        assert str(FAILED_CODE) in text(response)
    # Even the right code no longer helps, and the page says the account is locked.
    response = text(post_form(client, "/staff/login/code?lang=en", code=pyotp.TOTP(secret).now()))
    assert str(FAILED_CODE) not in response
    assert "This account is locked after too many wrong tries" in response
    assert client.get("/staff/").status_code == 302


def test_a_code_works_only_once(app, officer):
    username, secret = officer
    first, second = app.test_client(), app.test_client()
    code = pyotp.TOTP(secret).now()
    enter_password(first, username)
    enter_password(second, username)
    assert enter_code(first, code).location == "/staff/"
    replay = enter_code(second, code)
    assert replay.status_code == 200
    assert str(FAILED_CODE) in text(replay)


def test_the_half_signed_in_state_expires_after_five_minutes(client, officer):
    username, _secret = officer
    enter_password(client, username)
    with client.session_transaction() as session:
        pending = session["staff_pending"]
        expired = services.utcnow() - dt.timedelta(seconds=1)
        session["staff_pending"] = {**pending, "expires": expired.isoformat()}
    response = client.get("/staff/login/code")
    assert response.location == "/staff/login"
    assert "more than 5 minutes" in text(client.get("/staff/login?lang=en"))


def test_code_page_without_a_password_goes_back_to_the_password(client):
    assert client.get("/staff/login/code").location == "/staff/login"


def test_next_goes_to_a_staff_area_only(app, officer):
    username, secret = officer
    targets = {
        "/staff/password": "/staff/password",
        "//evil.example/staff": "/staff/",
        "https://evil.example/staff/": "/staff/",
        "/\\evil.example": "/staff/",
        "/eligibility": "/staff/",
        "/staffing": "/staff/",
    }
    for asked, expected in targets.items():
        client = app.test_client()
        assert enter_password(client, username, next_path=asked).location == "/staff/login/code"
        update_account(app, username, totp_last_step=None)  # reuse the code (replay: above)
        response = enter_code(client, pyotp.TOTP(secret).now())
        assert response.location == expected, asked


def test_password_change(client, app, officer):
    username, secret = officer
    sign_in(client, username, secret)
    page = client.get("/staff/password?lang=en")
    assert page.status_code == 200

    mismatch = post_form(
        client,
        "/staff/password",
        current_password=PASSWORD,
        new_password="a brand new passphrase",
        confirm_password="something else entirely",
    )
    assert "The two new passwords are not the same" in text(mismatch)
    short = post_form(
        client,
        "/staff/password",
        current_password=PASSWORD,
        new_password="short",
        confirm_password="short",
    )
    assert "at least 12 characters" in text(short)
    assert 'value="short"' not in text(short)  # passwords are never shown back
    wrong_current = post_form(
        client,
        "/staff/password",
        current_password="not my password at all",
        new_password="a brand new passphrase",
        confirm_password="a brand new passphrase",
    )
    assert "Your current password is not right" in text(wrong_current)

    done = post_form(
        client,
        "/staff/password",
        current_password=PASSWORD,
        new_password="a brand new passphrase",
        confirm_password="a brand new passphrase",
    )
    assert done.location == "/staff/"
    assert "Your password is changed" in text(client.get("/staff/"))

    fresh = app.test_client()
    assert str(FAILED_SIGN_IN) in text(enter_password(fresh, username, PASSWORD))
    response = sign_in(fresh, username, secret, "a brand new passphrase", steps_ahead=1)
    assert response.location == "/staff/"


def test_sign_out_is_a_post(client, officer):
    username, secret = officer
    sign_in(client, username, secret)
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/").status_code == 200
    signed_out = client.post("/staff/logout", data={"csrf_token": _home_token(client)})
    assert signed_out.location == "/staff/login"
    assert client.get("/staff/").status_code == 302
    # Without a valid token too (issue 8): tests/sessions/test_server_sessions.py.


def _home_token(client) -> str:
    from tests.staff.conftest import TOKEN

    return TOKEN.search(client.get("/staff/").get_data(as_text=True)).group(1)


def test_posting_passwords_is_rate_limited_per_address(client):
    per_minute = int(LOGIN_LIMIT.split()[0])
    statuses = [
        enter_password(client, f"nobody{number}", "a wrong password 123").status_code
        for number in range(per_minute + 1)
    ]
    assert statuses[:per_minute] == [200] * per_minute
    assert statuses[per_minute] == 429


def test_a_second_account_is_not_affected_by_the_first_ones_lock(client, app, officer):
    username, _secret = officer
    secret = create_staff(app, "handler.chan", "grievance_handler")
    for _attempt in range(5):
        enter_password(client, username, "a wrong password 123")
    assert "This account is locked" in text(enter_password(client, username, PASSWORD))
    assert sign_in(client, "handler.chan", secret).location == "/staff/"
