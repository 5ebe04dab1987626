"""Sign-in with the national digital ID, end to end against a real OpenID
provider (npm oidc-provider) on loopback, the portal served on a real socket."""

import httpx
import pytest

from portal import create_app
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import registered_person
from tests.conftest import make_test_config
from tests.support.live_server import serve
from tests.support.oidc import oidc_provider, sign_in_at_provider

NATIONAL_ID = "110987654"


@pytest.fixture
def portal_and_provider(tmp_path):
    """A live portal whose digital ID is the real provider, and a browser-like client."""
    holder = {}
    with serve(lambda environ, start: holder["app"](environ, start)) as portal_url:
        callback = portal_url + "/login/digital-id/callback"
        accounts = {
            "sokha": {"name": "Sokha Chan", "national_id": NATIONAL_ID},
            "no-nin": {"name": "Nobody"},
        }
        with oidc_provider([callback], accounts) as provider:
            holder["app"] = create_app(
                make_test_config(
                    tmp_path,
                    DIGITAL_ID_ISSUER=provider.issuer,
                    DIGITAL_ID_CLIENT_ID=provider.client_id,
                    DIGITAL_ID_CLIENT_SECRET=provider.client_secret,
                )
            )
            with httpx.Client(timeout=10) as browser:
                yield holder["app"], portal_url, browser


def sign_in(portal_url, browser, login):
    start = browser.get(portal_url + "/login/digital-id")
    assert start.status_code == 302
    authorize = start.headers["location"]
    assert "code_challenge=" in authorize and "code_challenge_method=S256" in authorize
    assert "state=" in authorize and "nonce=" in authorize
    back_to_portal = sign_in_at_provider(browser, authorize, login)
    assert back_to_portal.startswith(portal_url + "/login/digital-id/callback")
    return browser.get(back_to_portal)


def test_digital_id_signs_in_and_links_the_person_by_national_id(portal_and_provider):
    app, portal_url, browser = portal_and_provider
    person = registered_person(
        app, identifier=[{"identifier_type": "NIN", "identifier_value": NATIONAL_ID}]
    )
    finished = sign_in(portal_url, browser, "sokha")
    assert finished.status_code == 302 and finished.headers["location"] == "/"
    home = browser.get(portal_url + "/?lang=en").text
    assert "Signed in" in home and "Sign out" in home
    # the registry recorded the sign-in look-up in the person's access log
    log = registry(app).persons.access_log(
        person["id"], actor=Actor(actor="test", purpose="check", on_behalf_of="self")
    )
    assert any(entry.purpose == "citizen sign-in" for entry in log.entries)


def test_a_tampered_state_is_refused(portal_and_provider):
    _app, portal_url, browser = portal_and_provider
    start = browser.get(portal_url + "/login/digital-id")
    back = sign_in_at_provider(browser, start.headers["location"], "sokha")
    tampered = back.replace("state=", "state=x")
    response = browser.get(tampered)
    assert response.status_code == 302 and response.headers["location"] == "/login"
    assert "Signed in" not in browser.get(portal_url + "/?lang=en").text


def test_an_identity_without_national_id_is_not_signed_in(portal_and_provider):
    _app, portal_url, browser = portal_and_provider
    finished = sign_in(portal_url, browser, "no-nin")
    assert finished.headers["location"] == "/login"
    assert "Signed in" not in browser.get(portal_url + "/?lang=en").text


def test_the_button_shows_only_when_configured(client, portal_and_provider):
    assert "/login/digital-id" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/digital-id").status_code == 404
    _app, portal_url, browser = portal_and_provider
    assert "/login/digital-id" in browser.get(portal_url + "/login").text


def test_an_unreachable_provider_sends_the_person_back_with_a_message(tmp_path):
    from tests.support.oidc import free_port

    app = create_app(
        make_test_config(
            tmp_path,
            DIGITAL_ID_ISSUER=f"http://127.0.0.1:{free_port()}",
            DIGITAL_ID_CLIENT_ID="portal",
            DIGITAL_ID_CLIENT_SECRET="secret",
        )
    )
    client = app.test_client()
    client.get("/?lang=en")
    response = client.get("/login/digital-id")
    assert response.status_code == 302 and response.location == "/login"
    assert "The digital ID is not answering" in client.get("/login").get_data(as_text=True)
