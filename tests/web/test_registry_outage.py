"""A slow or hung registry does not stall the portal: registry calls of one
request share a deadline (5 s by default), a circuit breaker answers at once while the
registry is down, and pages that do not need the registry never wait for it."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from portal import create_app
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.accounts.conftest import ask_for_code, enter_code, last_code
from tests.conftest import development_app, make_test_config
from tests.support.hanging_server import hanging_server
from tests.support.live_server import serve

CONCURRENT = 20
# The target is "every answer within 6 s". The deadline is 4 s here (5 s by
# default) so that a busy CI machine, where the 20 waiting threads wake at once
# and share two cores, has room to render their pages.
DEADLINE = 4.0

pytestmark = pytest.mark.timed


@pytest.fixture
def hung_portal(tmp_path):
    with hanging_server() as registry_url:
        config = make_test_config(
            tmp_path,
            REGISTRY_URL=registry_url,
            REGISTRY_CLIENT_SECRET="secret",
            REGISTRY_DEADLINE=DEADLINE,
        )
        app = create_app(config)
        with serve(app) as portal_url:
            yield app, portal_url


def signed_in_cookie(app, number: int) -> str:
    """A citizen's session, stored as sign-in would store it; its cookie value."""
    client = app.test_client()
    now = dt.datetime.now(dt.UTC).isoformat()
    with client.session_transaction() as session:
        session["citizen"] = {
            "method": "sms",
            "phone": f"+8551234{number:04d}",
            "national_id": None,
            "person_id": f"00000000-0000-4000-8000-{number:012d}",
            "spid": None,
            "role": "citizen",
        }
        session.update(signed_in_at=now, last_seen=now)
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


# One HTTP client for the whole test: making one per request costs more CPU
# (TLS set-up) than the requests themselves, and would be timed with them.
BROWSERS = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=CONCURRENT + 5))


def timed_get(url: str, cookie: str | None = None) -> tuple[int, float]:
    headers = {"Cookie": f"portal_session={cookie}"} if cookie else {}
    started = time.monotonic()
    response = BROWSERS.get(url, headers=headers)
    return response.status_code, time.monotonic() - started


def test_a_hung_registry_does_not_stall_the_portal(hung_portal):
    app, portal_url = hung_portal
    cookies = [signed_in_cookie(app, number) for number in range(CONCURRENT)]
    with ThreadPoolExecutor(CONCURRENT + 1) as pool:
        backed = [pool.submit(timed_get, f"{portal_url}/eligibility/next", c) for c in cookies]
        time.sleep(0.5)  # every registry-backed request is now waiting
        home_status, home_seconds = pool.submit(timed_get, f"{portal_url}/").result()
        answers = [future.result() for future in backed]
    assert home_status == 200 and home_seconds < 1.0
    # The registry-backed page answers without the registry's facts (or says busy).
    assert all(status in (302, 503) for status, _ in answers), answers
    assert max(seconds for _, seconds in answers) < 6.0, answers
    # The circuit is open now: the next request does not wait at all.
    status, seconds = timed_get(f"{portal_url}/eligibility/next", cookies[0])
    assert status in (302, 503) and seconds < 1.0


def test_pages_that_do_not_need_the_registry_never_wait_for_it(hung_portal):
    _app, portal_url = hung_portal
    for path in ("/", "/eligibility", "/eligibility/q/birth-date", "/login", "/staff/login"):
        status, seconds = timed_get(portal_url + path)
        assert status == 200 and seconds < 1.0, path


@pytest.fixture
def dev_app(tmp_path):
    return development_app(tmp_path)


def test_a_registry_outage_during_sign_in_does_not_use_up_the_code(dev_app, monkeypatch):
    client = dev_app.test_client()
    ask_for_code(client, "012 345 678")
    code = last_code(dev_app)
    with dev_app.app_context():
        search = registry(dev_app).search

    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("registry down for this test")

    monkeypatch.setattr(search, "by_id", unavailable)
    refused = enter_code(client, code)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    monkeypatch.undo()
    signed_in = enter_code(client, code)  # the same code, within its 5 minutes
    assert signed_in.status_code == 302
    assert 'action="/logout"' in client.get("/").get_data(as_text=True)
