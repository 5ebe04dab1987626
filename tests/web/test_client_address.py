"""Behind the trusted proxy, limits per address count the person's own address
(from X-Forwarded-For); nobody else can choose the address they are counted
under. Tested through the staff sign-in, whose limit per address is the smallest."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigurationError
from portal.staff.views import LOGIN_LIMIT
from tests.conftest import make_test_config
from tests.staff.conftest import TOKEN

PER_MINUTE = int(LOGIN_LIMIT.split()[0])
PROXY = "10.0.0.5"


@pytest.fixture
def app(tmp_path):
    return create_app(make_test_config(tmp_path, FORWARDED_ALLOW_IPS="10.0.0.0/24, 127.0.0.1"))


def browser(app, peer: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    return client


def try_password(client, forwarded_for: str | None = None, number: int = 0) -> int:
    csrf = TOKEN.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    data = {"csrf_token": csrf, "username": f"nobody{number}", "password": "a wrong password 1"}
    return client.post("/staff/login", data=data, headers=headers).status_code


def test_people_behind_the_proxy_each_have_their_own_count(app):
    proxy = browser(app, PROXY)
    statuses = [try_password(proxy, f"198.51.100.{n}", number=n) for n in range(PER_MINUTE + 2)]
    assert 429 not in statuses


def test_one_person_behind_the_proxy_is_still_limited(app):
    proxy = browser(app, PROXY)
    statuses = [try_password(proxy, "198.51.100.7", number=n) for n in range(PER_MINUTE + 1)]
    assert statuses[:PER_MINUTE] == [200] * PER_MINUTE
    assert statuses[PER_MINUTE] == 429
    assert try_password(proxy, "198.51.100.8") == 200  # the next person is not


def test_the_right_most_address_that_is_not_a_proxy_counts(app):
    proxy = browser(app, PROXY)
    # A client writes anything on the left; the proxies append the real ones.
    statuses = [
        try_password(proxy, f"203.0.113.{n}, 198.51.100.7, 10.0.0.9", number=n)
        for n in range(PER_MINUTE + 1)
    ]
    assert statuses[PER_MINUTE] == 429
    assert try_password(proxy, "198.51.100.7") == 429


def test_forwarded_for_from_anyone_but_a_proxy_is_ignored(app):
    stranger = browser(app, "192.0.2.44")
    statuses = [try_password(stranger, f"198.51.100.{n}", number=n) for n in range(PER_MINUTE + 1)]
    assert statuses[PER_MINUTE] == 429
    assert try_password(browser(app, "192.0.2.45")) == 200


def test_one_ipv6_network_counts_as_one_address(app):
    # A phone gets a whole /64: it must not pick a fresh address for each try.
    statuses = [
        try_password(browser(app, f"2001:db8:1:2::{n + 1:x}"), number=n)
        for n in range(PER_MINUTE + 1)
    ]
    assert statuses[PER_MINUTE] == 429
    assert try_password(browser(app, "2001:db8:1:3::1")) == 200


@pytest.mark.parametrize("setting", ["*", "not-an-address", "10.0.0.0/33"])
def test_the_trusted_proxies_must_be_addresses_or_networks(tmp_path, setting):
    with pytest.raises(ConfigurationError):
        create_app(make_test_config(tmp_path, FORWARDED_ALLOW_IPS=setting))
