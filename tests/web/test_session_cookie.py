"""The session cookie is encrypted: what it carries cannot be read from it."""

import base64
import contextlib
import re
import zlib

from itsdangerous import URLSafeTimedSerializer


def session_cookie(client) -> str:
    return client.get_cookie("portal_session").value


def test_the_cookie_does_not_reveal_what_the_session_holds(client):
    with client.session_transaction() as session:
        session["citizen"] = {"method": "sms", "phone": "+85512345678"}
        session["screener"] = {"answers": {"person.living_with_hiv": True}}
    cookie = session_cookie(client)
    payload = cookie.split(".")[0].lstrip(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    with contextlib.suppress(zlib.error):
        raw = zlib.decompress(raw)
    assert b"85512345678" not in raw and b"living_with_hiv" not in raw
    assert not re.search(rb"phone|screener|citizen", raw)


def test_the_session_still_works_across_requests(client):
    client.get("/?lang=en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_a_cookie_signed_with_the_key_but_not_encrypted_is_ignored(app, client):
    forged = URLSafeTimedSerializer(
        app.secret_key, salt="cookie-session", signer_kwargs={"key_derivation": "hmac"}
    ).dumps({"lang": "en", "citizen": {"method": "sms", "phone": "+85512345678"}})
    client.set_cookie("portal_session", forged)
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="km">' in body  # the forged session was not used
    assert "Signed in" not in body and "បានចូលគណនី" not in body
