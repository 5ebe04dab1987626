"""Someone the registry already knows is never registered twice: a national ID
or the same Khmer name, date of birth and village stops the registration, and
the person can claim their record instead. Nothing about the record found is
shown."""

from __future__ import annotations

import re

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import registered_person
from tests.registration.conftest import (
    HEAD,
    NEW_PHONE,
    VILLAGE,
    Visitor,
    register_household,
    sign_in,
)

OFFICER = Actor(actor="officer:test", purpose="change request review")
READER = Actor(actor="test:reader", purpose="test check")
SURVEYED = {
    "identifier": [{"identifier_type": "NIN", "identifier_value": "123456789"}],
    "birth_date": "1980-05-17",
    "phone_number": [],
    "name_km": {"surname": "យឹម", "given_name": "សុភា"},
    "name": {"surname": "Yim", "given_name": "Sophea"},
}


def _claim(visitor: Visitor, nin: str, day: str, month: str, year: str, **kw):
    return visitor.send(
        "/register/claim",
        {
            "identifier_value": nin,
            "birth_date-day": day,
            "birth_date-month": month,
            "birth_date-year": year,
        },
        **kw,
    )


def test_a_known_national_id_stops_the_registration_without_showing_the_record(app, client):
    registered_person(app, **SURVEYED)
    sign_in(app, client)
    visitor = Visitor(client)

    sent = register_household(visitor, members=[], national_id="123 456 789")

    assert sent.location.endswith("/register/already-registered")
    page = client.get("/register/already-registered").get_data(as_text=True)
    assert "ចាន់ថា" in page  # the name the person typed
    assert "សុភា" not in page and "Sophea" not in page  # never the record's
    with app.app_context():
        found = registry(app).search.by_id("MOBILE", NEW_PHONE, actor=READER)
    assert found.total_count == 0
    # The answers are kept: the check page is still there.
    assert client.get("/register/check").status_code == 200


def test_the_same_khmer_name_birth_date_and_village_stops_the_registration(app, client):
    registered_person(
        app,
        name_km={"surname": HEAD["surname"], "given_name": HEAD["given_name"]},
        birth_date="1985-03-14",
        address={"village_code": VILLAGE["village"]},
        phone_number=[],
    )
    sign_in(app, client)

    sent = register_household(Visitor(client), members=[])

    assert sent.location.endswith("/register/already-registered")


def test_a_claim_with_the_right_birth_date_goes_to_the_commune_office(app, client):
    person = registered_person(app, **SURVEYED)
    sign_in(app, client)
    visitor = Visitor(client)

    sent = _claim(visitor, "១២៣ ៤៥៦ ៧៨៩", "១៧", "៥", "១៩៨០")

    assert sent.location.endswith("/register/claim/sent")
    page = client.get("/register/claim/sent").get_data(as_text=True)
    assert re.search(r'class="ref">CL-', page)
    with app.app_context():
        requests = registry(app).change_requests.list(actor=READER, person_spid=person["spid"])
    assert requests.count == 1
    claim = requests.results[0]
    assert claim["request_type"] == "link_phone"
    assert claim["proposed_changes"] == {"phone_number": ["+85512345678"]}
    assert claim["status"] == "submitted"
    # Still not linked: the start page says it is being checked.
    start = client.get("/register").get_data(as_text=True)
    assert "៥" in start

    # The commune office confirms: the phone is added, and the citizen is linked.
    with app.app_context():
        registry(app).change_requests.update(claim["id"], {"status": "in_review"}, actor=OFFICER)
        registry(app).change_requests.update(claim["id"], {"status": "approved"}, actor=OFFICER)
    assert client.get("/register").location.endswith("/me")


def test_a_wrong_birth_date_and_an_unknown_id_get_the_same_answer(app, client):
    registered_person(app, **SURVEYED)
    sign_in(app, client)
    visitor = Visitor(client)

    wrong_date = _claim(visitor, "123456789", "18", "5", "1980", expect_redirect=False)
    unknown = _claim(visitor, "987654321", "17", "5", "1980", expect_redirect=False)

    assert wrong_date.status_code == unknown.status_code == 200
    errors = [
        re.search(r'<div class="err-sum".*?</div>', page.get_data(as_text=True), re.S).group(0)
        for page in (wrong_date, unknown)
    ]
    assert errors[0] == errors[1]
    assert "១៩៨០" in wrong_date.get_data(as_text=True) or "1980" in wrong_date.get_data(
        as_text=True
    )  # what was typed is kept


def test_claims_are_limited_so_that_birth_dates_cannot_be_guessed(app, client):
    registered_person(app, **SURVEYED)
    sign_in(app, client)
    visitor = Visitor(client)
    answers = [
        _claim(visitor, "123456789", str(day), "1", "1980", expect_redirect=False)
        for day in range(1, 13)
    ]
    assert answers[-1].status_code == 429
