"""Citizens sign in with their phone number and a code sent by text message."""

import datetime as dt
import logging

import pytest
from sqlalchemy import select, update

from portal.accounts.models import OtpChallenge
from portal.accounts.services import cambodian_mobile
from portal.database import db
from tests.accounts.conftest import ask_for_code, enter_code, last_code, registered_person


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("012345678", "+85512345678"),
        ("០១២ ៣៤៥ ៦៧៨", "+85512345678"),
        ("+855 12 345 678", "+85512345678"),
        ("855 96 912 3456", "+855969123456"),
        ("096-912-3456", "+855969123456"),
        ("023 123 456", None),  # Phnom Penh landline: no text messages
        ("12345", None),
        ("+66 81 234 5678", None),  # Thai mobile
        ("", None),
    ],
)
def test_cambodian_mobile_numbers(typed, e164):
    assert cambodian_mobile(typed) == e164


def test_sign_in_links_the_registry_person_with_that_phone(app, client):
    person = registered_person(app, phone_number=["097 555 1234"])
    client.get("/?lang=en")
    assert ask_for_code(client, "០៩៧ ៥៥៥ ១២៣៤").location == "/login/verify"
    response = enter_code(client, last_code(app))
    assert response.status_code == 302 and response.location == "/"
    with client.session_transaction() as session:
        citizen = session["citizen"]
    assert citizen["phone"] == "+855975551234"
    assert citizen["person_id"] == person["id"]
    assert citizen["spid"] == person["spid"]
    home = client.get("/").get_data(as_text=True)
    assert "Signed in: 097 555 1234" in home
    assert "sign out when you finish" in home


def test_unknown_number_gets_the_same_answer_and_is_told_where_to_register(app, client):
    client.get("/?lang=en")
    response = ask_for_code(client, "012 000 111")
    assert response.status_code == 302 and response.location == "/login/verify"
    enter_code(client, last_code(app))
    with client.session_transaction() as session:
        assert session["citizen"]["person_id"] is None
        assert session["citizen"]["phone"] == "+85512000111"
    assert "commune office can register you" in client.get("/").get_data(as_text=True)


def test_the_text_message_is_khmer_fits_one_segment_and_carries_no_personal_data(app, client):
    ask_for_code(client, "012 345 678")
    message = app.extensions["sms_gateway"].messages()[0]
    assert message.to == "+85512345678"
    assert len(message.text) <= 70
    assert all(ord(ch) <= 0xFFFF for ch in message.text)  # one UCS-2 segment
    assert any("\u1780" <= ch <= "\u17ff" for ch in message.text)
    assert "345" not in message.text.replace(last_code(app), "")


def test_invalid_number_is_refused_with_the_typed_value_kept(client):
    response = ask_for_code(client, "023 123 456")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="023 123 456"' in body
    assert 'class="err-sum"' in body


def test_the_code_is_stored_only_as_keyed_hashes(app, client):
    ask_for_code(client, "012 345 678")
    code = last_code(app)
    with db.session() as session:
        row = session.scalars(select(OtpChallenge)).one()
    stored = " ".join(str(value) for value in vars(row).values())
    assert code not in stored and "12345678" not in stored


def test_five_wrong_codes_use_up_the_code(app, client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    ask_for_code(client, "012 345 678")
    code = last_code(app)
    wrong = "000000" if code != "000000" else "111111"
    messages = [enter_code(client, wrong).get_data(as_text=True) for _ in range(5)]
    assert all("The code is not right" in body for body in messages[:4])
    assert "Too many wrong codes" in messages[4]
    response = enter_code(client, code)  # even the right code no longer works
    assert response.status_code == 200
    assert "Too many wrong codes" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "citizen" not in session


def test_an_expired_code_is_refused(app, client):
    ask_for_code(client, "012 345 678")
    with db.session() as session:
        session.execute(
            update(OtpChallenge).values(
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            )
        )
        session.commit()
    response = enter_code(client, last_code(app))
    assert response.status_code == 200
    with client.session_transaction() as session:
        assert "citizen" not in session


def test_at_most_three_codes_per_number_per_quarter_hour(app, client):
    for _ in range(3):
        assert ask_for_code(client, "012 345 678").status_code == 302
    response = client.post(
        "/login?lang=en",
        data={"csrf_token": _token(client), "phone_number": "012 345 678"},
    )
    assert "Ask for a new code after" in response.get_data(as_text=True)
    assert len(app.extensions["sms_gateway"].messages()) == 3
    # another number is not affected
    assert ask_for_code(client, "012 345 679").status_code == 302


def test_sign_in_starts_a_fresh_session(app, client):
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
        session["lang"] = "en"
    ask_for_code(client, "012 345 678")
    enter_code(client, last_code(app))
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert "citizen" in session


def test_sign_out_clears_everything(app, client):
    ask_for_code(client, "012 345 678")
    enter_code(client, last_code(app))
    client.post("/logout", data={"csrf_token": _token(client)})
    with client.session_transaction() as session:
        assert "citizen" not in session and "signed_in_at" not in session


@pytest.mark.parametrize(
    ("field", "age", "message"),
    [
        ("last_seen", dt.timedelta(minutes=31), "30 minutes without activity"),
        ("signed_in_at", dt.timedelta(hours=13), "more than 12 hours ago"),
    ],
)
def test_sessions_end_after_idle_and_absolute_limits(app, client, field, age, message):
    ask_for_code(client, "012 345 678")
    enter_code(client, last_code(app))
    with client.session_transaction() as session:
        session[field] = (dt.datetime.now(dt.UTC) - age).isoformat()
        session["lang"] = "en"
    body = client.get("/").get_data(as_text=True)
    assert message in body
    with client.session_transaction() as session:
        assert "citizen" not in session


def test_next_only_goes_to_local_pages(app, client):
    client.post(
        "/login?next=//evil.example/steal",
        data={"csrf_token": _token(client), "phone_number": "012 345 678"},
    )
    assert enter_code(client, last_code(app)).location == "/"


def test_send_failure_is_shown_and_does_not_count(app, client, caplog):
    from portal.notifications import SmsSendError

    class Broken:
        def send(self, to, text, event=None):
            raise SmsSendError("down")

    app.extensions["sms_gateway"] = Broken()
    caplog.set_level(logging.INFO)
    response = client.post(
        "/login?lang=en", data={"csrf_token": _token(client), "phone_number": "012 345 678"}
    )
    body = response.get_data(as_text=True)
    assert "We could not send the text message" in body
    assert 'value="012 345 678"' in body
    assert "12345678" not in caplog.text and "345 678" not in caplog.text
    with db.session() as session:
        assert session.scalars(select(OtpChallenge)).all() == []


def test_dev_sms_page_exists_only_in_development(tmp_path):
    from portal import create_app
    from tests.conftest import make_test_config

    app = create_app(make_test_config(tmp_path))  # PORTAL_ENV=testing
    assert app.test_client().get("/dev/sms").status_code == 404


def _token(client) -> str:
    from tests.accounts.conftest import token

    return token(client, "/login")


def test_a_bad_token_never_makes_an_action_run(app, client):
    ask_for_code(client, "012 345 678")
    sent = len(app.extensions["sms_gateway"].messages())
    assert client.post("/login/resend", data={"csrf_token": "forged"}).status_code == 400
    assert len(app.extensions["sms_gateway"].messages()) == sent
    # Sign-out is the one action a bad token does not stop (a shared computer
    # must never stay signed in): tests/sessions/test_server_sessions.py.
