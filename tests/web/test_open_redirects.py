"""`next=` after signing in goes to a path on this site, never another site:
a table of known open-redirect payloads, through citizen and staff sign-in."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from portal import create_app
from tests.accounts.conftest import enter_code, last_code
from tests.conftest import PageCheckingClient, make_test_config
from tests.staff.conftest import create_staff, enter_password, sign_in
from tests.staff.conftest import enter_code as enter_staff_code

PAYLOADS = [
    "//evil.example",
    "///evil.example",
    "////evil.example/%2e%2e",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "https:\\\\evil.example",
    "//evil.example@portal.example",
    "//evil.example%2F@portal.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "/\x00//evil.example",
    "\x0b//evil.example",
    "/staff/\r\nLocation: https://evil.example",
    "\uff0f\uff0fevil.example",
    "//evil.example:443/staff/",
    "/" + "a" * 5000,
]


def is_on_this_site(location: str) -> bool:
    seen = location.replace("\\", "/")
    parts = urlsplit(seen)
    return (
        seen.startswith("/")
        and not seen.startswith("//")
        and not parts.netloc
        and not any(ord(char) < 0x20 for char in location)
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = make_test_config(tmp_path_factory.mktemp("redirects"), PORTAL_ENV="development")
    app = create_app(config)
    app.test_client_class = PageCheckingClient
    return app


@pytest.fixture(scope="module")
def staff_client(app):
    """One officer, signed in once (a code cannot be used twice)."""
    client = app.test_client()
    sign_in(client, "officer.redirect", create_staff(app, "officer.redirect"))
    return client


@pytest.mark.parametrize(("number", "payload"), list(enumerate(PAYLOADS)))
def test_citizen_sign_in_never_leaves_the_site(app, number, payload):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.0.{number}.1"  # clear of the per-address limit
    client.get("/login?next=" + quote(payload, safe=""))
    response = client.post(
        "/login?next=" + quote(payload, safe=""),
        data={"csrf_token": _token(client), "phone_number": f"012 345 {100 + number}"},
    )
    assert response.status_code == 302
    signed_in = enter_code(client, last_code(app))
    assert signed_in.status_code == 302
    assert signed_in.location == "/", payload


def test_citizen_sign_in_keeps_a_path_on_this_site(app):
    client = app.test_client()
    client.get("/login?next=/eligibility%3Fstep%3D2")
    client.post(
        "/login?next=/eligibility%3Fstep%3D2",
        data={"csrf_token": _token(client), "phone_number": "012 345 999"},
    )
    assert enter_code(client, last_code(app)).location == "/eligibility?step=2"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_staff_sign_in_never_leaves_the_site(staff_client, payload):
    response = staff_client.get("/staff/login?next=" + quote(payload, safe=""))
    assert response.status_code == 302
    assert response.location == "/staff/", payload


def test_staff_sign_in_with_a_payload_lands_on_the_staff_home(app):
    secret = create_staff(app, "officer.payload")
    client = app.test_client()
    assert (
        enter_password(client, "officer.payload", next_path=quote("/\t/evil.example")).status_code
        == 302
    )
    import pyotp

    from portal.staff.services import utcnow

    response = enter_staff_code(client, pyotp.TOTP(secret).at(utcnow()))
    assert response.location == "/staff/"
    assert is_on_this_site(response.location)


def _token(client) -> str:
    from tests.accounts.conftest import token

    return token(client, "/login")


def test_the_payload_table_has_at_least_20_entries():
    assert len(PAYLOADS) >= 20
