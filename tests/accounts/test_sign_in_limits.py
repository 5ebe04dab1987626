"""Citizen sign-in limits fit how Cambodians connect: many people share one
address (a commune office, a mobile network), so the limits per phone number
are the main defence and the limits per address are sized for a busy office.
Whoever is stopped is told until when, in their language and digits."""

import datetime as dt
import html

from portal.accounts.views import SEND_LIMIT
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.accounts.conftest import ask_for_code, enter_code, last_code, token
from tests.support.clock import clock_texts, expected_clocks, now

WINDOW = dt.timedelta(minutes=15)
OFFICE_DAY = 60  # sign-ins from one commune office in a quarter hour, with room to spare


def send_codes(client, count: int, first: int = 0) -> list[int]:
    """Ask for a code for `count` different numbers from one browser (one address)."""
    csrf = token(client, "/login")
    return [
        client.post(
            "/login", data={"csrf_token": csrf, "phone_number": f"012 {100000 + first + n}"}
        ).status_code
        for n in range(count)
    ]


def test_a_busy_commune_office_behind_one_address_is_not_stopped(client):
    assert send_codes(client, OFFICE_DAY) == [302] * OFFICE_DAY


def test_the_limit_per_address_still_stops_one_machine_texting_everyone(client):
    per_address = int(SEND_LIMIT.split()[0])
    assert per_address >= OFFICE_DAY
    started = now()
    statuses = send_codes(client, per_address + 1)
    assert statuses[:per_address] == [302] * per_address
    assert statuses[per_address] == 429

    stopped = client.post("/login", data={"csrf_token": token(client, "/login")})
    assert stopped.status_code == 429
    wait = int(stopped.headers["Retry-After"])
    assert 0 < wait <= WINDOW.total_seconds() + 1  # Flask-Limiter rounds the reset up
    body = stopped.get_data(as_text=True)
    shown = clock_texts(body, khmer=True)  # Khmer first, in Khmer digits
    assert shown and set(shown) <= expected_clocks(started, now() + WINDOW)

    english = client.post("/login?lang=en", data={"csrf_token": token(client, "/login")})
    body = html.unescape(english.get_data(as_text=True))
    assert "Try again after" in body
    assert set(clock_texts(body, khmer=False)) <= expected_clocks(started, now() + WINDOW)


def test_too_many_codes_for_one_number_says_when_to_ask_again(app, client):
    first_sent = now()
    for _ in range(3):
        assert ask_for_code(client, "012 345 678").status_code == 302
    after_three = now()
    refused = client.post(
        "/login", data={"csrf_token": token(client, "/login"), "phone_number": "012 345 678"}
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200
    shown = clock_texts(body, khmer=True)
    assert shown
    assert set(shown) <= expected_clocks(first_sent + WINDOW, after_three + WINDOW)

    english = client.post(
        "/login?lang=en",
        data={"csrf_token": token(client, "/login"), "phone_number": "012 345 678"},
    )
    body = html.unescape(english.get_data(as_text=True))
    assert "Ask for a new code after" in body
    assert set(clock_texts(body, khmer=False)) <= expected_clocks(
        first_sent + WINDOW, after_three + WINDOW
    )
    assert len(app.extensions["sms_gateway"].messages()) == 3


def test_asking_again_on_the_code_page_says_when_too(app, client):
    client.get("/?lang=en")  # remembered
    for _ in range(3):
        ask_for_code(client, "012 345 678")
    client.post("/login/resend", data={"csrf_token": token(client, "/login/verify")})
    page = html.unescape(client.get("/login/verify").get_data(as_text=True))
    assert "Ask for a new code after" in page
    assert clock_texts(page, khmer=False)


def test_a_registry_outage_at_sign_in_says_to_come_back_in_half_a_minute(app, client, monkeypatch):
    ask_for_code(client, "012 345 678")

    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("connect timeout")

    with app.app_context():
        monkeypatch.setattr(registry(app).search, "by_id", unavailable)
    response = enter_code(client, last_code(app))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_a_missing_token_while_stopped_gives_the_too_many_page_not_an_error(client):
    per_address = int(SEND_LIMIT.split()[0])
    send_codes(client, per_address)
    response = client.post("/login", data={"phone_number": "012 345 678"})
    assert response.status_code in (400, 429)
    assert int(response.headers.get("Retry-After", "1")) > 0
