"""A citizen signed in with the national digital ID registers without being
asked their national ID again (it is proven), and gets no text message (the
portal has no phone number for them)."""

from __future__ import annotations

import re

from portal.khmer import spid_groups, to_ascii_digits
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import TOKEN, registered_person
from tests.accounts.test_digital_id import NATIONAL_ID, sign_in
from tests.registration.conftest import HEAD, VILLAGE

READER = Actor(actor="test:reader", purpose="test check")


def _send(browser, url: str, answers: dict) -> str:
    token = TOKEN.search(browser.get(url).text).group(1)
    answer = browser.post(url, data={"csrf_token": token, **answers})
    assert answer.status_code == 302, answer.text[-1500:]
    return answer.headers["location"]


def test_the_national_id_from_the_digital_id_is_not_asked_again(portal_and_provider):
    app, portal_url, browser = portal_and_provider
    sign_in(portal_url, browser, "sokha")
    assert browser.get(portal_url + "/register").status_code == 200
    assert browser.get(portal_url + "/register/q/national-id").status_code == 404

    site = portal_url + "/register"
    _send(browser, site + "/q/name", HEAD)
    _send(browser, site + "/q/latin-name", {"surname": "", "given_name": ""})
    _send(browser, site + "/q/sex", {"sex": "female"})
    after_birth = _send(
        browser,
        site + "/q/birth-date",
        {"birth_date-day": "1", "birth_date-month": "2", "birth_date-year": "1970"},
    )
    assert after_birth.endswith("/register/where/province")  # the national ID is skipped
    for level, code in VILLAGE.items():
        _send(browser, f"{site}/where/{level}", {"code": code})
    _send(browser, site + "/q/disability", {"has_card": "no"})
    _send(browser, site + "/household", {})
    _send(browser, site + "/q/equity-card", {"level": "none"})
    _send(browser, site + "/consent", {"agree": "y"})
    check = browser.get(site + "/check").text
    assert NATIONAL_ID in to_ascii_digits(check)
    assert _send(browser, site + "/check", {}).endswith("/register/done")
    done = browser.get(site + "/done").text
    assert re.search(r'class="ref spid">', done)

    with app.app_context():
        found = registry(app).search.by_id("NIN", NATIONAL_ID, actor=READER)
    assert found.total_count == 1
    assert found.records[0].get("phone_number") == []


def test_a_record_claimed_with_the_proven_national_id_is_linked_at_once(portal_and_provider):
    app, portal_url, browser = portal_and_provider
    sign_in(portal_url, browser, "sokha")
    # Registered at the commune office after this citizen signed in.
    person = registered_person(
        app,
        identifier=[{"identifier_type": "NIN", "identifier_value": NATIONAL_ID}],
        birth_date="1970-02-01",
        phone_number=[],
    )

    linked = _send(
        browser,
        portal_url + "/register/claim",
        {
            "identifier_value": NATIONAL_ID,
            "birth_date-day": "1",
            "birth_date-month": "2",
            "birth_date-year": "1970",
        },
    )

    assert linked.endswith("/me")
    record = browser.get(portal_url + "/me?lang=en").text
    assert spid_groups(person["spid"]) in to_ascii_digits(record)
    with app.app_context():
        claims = registry(app).change_requests.list(actor=READER, person_spid=person["spid"])
    assert claims.count == 0  # nothing to confirm: the digital ID proved who they are
