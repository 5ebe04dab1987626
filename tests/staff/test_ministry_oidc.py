"""Sign-in with the ministry's staff identity provider, end to end against the
real OpenID provider (npm oidc-provider) on loopback. The portal side is the
Flask test client; its server-side calls (metadata, token, keys, userinfo) go
to the provider over real HTTP."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from portal import create_app
from tests.conftest import PageCheckingClient, make_test_config
from tests.support.oidc import oidc_provider, sign_in_at_provider

CALLBACK = "http://localhost/staff/login/ministry/callback"
ACCOUNTS = {
    "dara": {
        "name": "Dara Keo",
        "preferred_username": "dara.keo",
        "roles": ["viewer", "officer"],
        "commune_codes": ["120101", "not-a-code"],
    },
    "vanna": {"name": "Vanna Lim", "roles": ["grievance_supervisor"]},
    "guest": {"name": "Guest", "roles": ["viewer"]},
    "lonely-officer": {"name": "No Commune", "roles": ["officer"], "commune_codes": []},
    "sophea": {
        "name": "Sophea Noun",
        "preferred_username": "sophea.n",
        "roles": ["programme_officer"],
        "programme_ids": ["elderly_allowance", "not-a-programme", "idpoor_assessment"],
    },
    "lonely-programme-officer": {
        "name": "No Programme",
        "roles": ["programme_officer"],
        "programme_ids": ["not-a-programme"],
    },
}


@pytest.fixture(scope="module")
def provider():
    with oidc_provider([CALLBACK], ACCOUNTS) as running:
        yield running


@pytest.fixture
def portal(tmp_path, provider):
    app = create_app(
        make_test_config(
            tmp_path,
            STAFF_OIDC_ISSUER=provider.issuer,
            STAFF_OIDC_CLIENT_ID=provider.client_id,
            STAFF_OIDC_CLIENT_SECRET=provider.client_secret,
        )
    )
    app.test_client_class = PageCheckingClient
    return app


def ministry_sign_in(client, login: str, next_path: str = ""):
    start = client.get("/staff/login/ministry" + (f"?next={next_path}" if next_path else ""))
    assert start.status_code == 302
    authorize = start.location
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"] and query["nonce"]
    assert query["scope"] == ["openid profile staff"]
    with httpx.Client(timeout=10) as browser:
        back = sign_in_at_provider(browser, authorize, login)
    assert back.startswith(CALLBACK + "?")
    return client.get(back.removeprefix("http://localhost"))


def test_ministry_account_signs_in_with_role_and_communes_from_claims(portal):
    client = portal.test_client()
    login_page = client.get("/staff/login?lang=en").get_data(as_text=True)
    assert "Sign in with the ministry account" in login_page

    finished = ministry_sign_in(client, "dara", next_path="/staff/password")
    assert finished.status_code == 302 and finished.location == "/staff/password"
    with client.session_transaction() as session:
        staff = session["staff"]
    assert staff == {
        "username": "dara.keo",
        "name": "Dara Keo",
        "role": "officer",
        "method": "oidc",
        "commune_codes": ["120101"],
        "programme_ids": [],
    }
    password_page = html.unescape(client.get("/staff/password").get_data(as_text=True))
    assert "Change its password with the ministry" in password_page
    home = html.unescape(client.get("/staff/").get_data(as_text=True))
    assert "Dara Keo" in home and "Ministry account" in home


def test_a_role_without_communes_is_not_limited_to_officers(portal):
    client = portal.test_client()
    assert ministry_sign_in(client, "vanna").location == "/staff/"
    with client.session_transaction() as session:
        assert session["staff"]["role"] == "grievance_supervisor"


def test_a_programme_officer_gets_the_programmes_of_the_claims_that_exist(portal):
    client = portal.test_client()
    assert ministry_sign_in(client, "sophea").location == "/staff/"
    with client.session_transaction() as session:
        staff = session["staff"]
    assert staff["role"] == "programme_officer"
    assert staff["programme_ids"] == ["elderly_allowance", "idpoor_assessment"]
    home = html.unescape(client.get("/staff/?lang=en").get_data(as_text=True))
    assert "Programme officer" in home and "On-demand IDPoor assessment" in home
    assert 'href="/backoffice/applications"' in home


@pytest.mark.parametrize("login", ["guest", "lonely-officer", "lonely-programme-officer"])
def test_an_account_without_a_portal_role_is_refused(portal, login):
    client = portal.test_client()
    client.get("/?lang=en")
    refused = ministry_sign_in(client, login)
    assert refused.status_code == 403
    assert "no role on this portal" in refused.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302  # not signed in


def test_a_forged_callback_signs_nobody_in(portal):
    client = portal.test_client()
    client.get("/staff/login/ministry")  # a real state is waiting in the session
    forged = client.get("/staff/login/ministry/callback?code=stolen&state=guessed")
    assert forged.location == "/staff/login"
    assert client.get("/staff/").status_code == 302


def test_without_an_issuer_there_is_no_ministry_button(client):
    assert "ministry account" not in client.get("/staff/login?lang=en").get_data(as_text=True)
    assert client.get("/staff/login/ministry").status_code == 404


def test_an_unreachable_ministry_provider_sends_staff_back_with_a_message(tmp_path):
    from portal import create_app
    from tests.conftest import make_test_config
    from tests.support.oidc import free_port

    app = create_app(
        make_test_config(
            tmp_path,
            STAFF_OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
            STAFF_OIDC_CLIENT_ID="portal",
            STAFF_OIDC_CLIENT_SECRET="secret",
        )
    )
    client = app.test_client()
    client.get("/?lang=en")
    response = client.get("/staff/login/ministry")
    assert response.status_code == 302 and response.location == "/staff/login"
    assert "The ministry sign-in is not answering" in client.get("/staff/login").get_data(
        as_text=True
    )
