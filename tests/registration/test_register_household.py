"""A newcomer registers a household of four through the pages: the registry
then holds four people, one household and one consent, and the person sees
their SPID."""

from __future__ import annotations

import re

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.registration.conftest import (
    FIRST_ROUND_TRIP_BYTES,
    MEMBERS,
    NEW_PHONE,
    Visitor,
    register_household,
    sign_in,
)

READER = Actor(actor="test:reader", purpose="test check")


def _people_in(app, household_id: str) -> list[dict]:
    with app.app_context():
        found = registry(app).search.by_id("HOUSEHOLD_ID", household_id, actor=READER)
    return found.records


def test_four_people_registered_in_at_most_25_pages_each_within_budget(app, client):
    sign_in(app, client)
    visitor = Visitor(client)
    sent = register_household(visitor)

    assert sent.location.endswith("/register/done")
    assert visitor.submissions <= 25
    assert visitor.heaviest <= FIRST_ROUND_TRIP_BYTES
    done = client.get("/register/done").get_data(as_text=True)
    spid = re.search(r'class="ref spid">([^<]+)<', done).group(1)
    assert re.fullmatch(r"[០-៩]{3} [០-៩]{3} [០-៩]{3} [០-៩]{2}", spid)

    with app.app_context():
        found = registry(app).search.by_id("MOBILE", NEW_PHONE, actor=READER)
        assert found.total_count == 1
        head = found.records[0]
        household = registry(app).households.read(head["household_identifier"], actor=READER)
        consents = registry(app).consents.list(actor=READER, individual_spid=head["spid"])
    assert head["name_km"] == {"surname": "សុខ", "given_name": "ចាន់ថា"}
    assert head["name"] == {"surname": "Sok", "given_name": "Chantha"}
    assert head["birth_date"] == "1985-03-14"
    assert head["address"]["village_code"] == "12010101"
    assert head["preferred_language"] == "km"
    assert household["group_size"] == 4
    assert household["idpoor"]["self_declared"] is True
    assert not household["idpoor"].get("verified_by")
    assert sorted(m["household_status"] for m in household["members"]) == [
        "child",
        "head",
        "mother",
        "spouse",
    ]
    people = {p["name_km"]["given_name"]: p for p in _people_in(app, household["id"])}
    assert people["យាយ"]["birth_date"] == "1950-07-01"
    assert people["យាយ"]["birth_date_estimated"] is True
    assert people["ស្រីមុំ"]["birth_date"] == "2014-06-12"
    assert consents.count == 1
    assert consents.results[0]["purpose"] == "registration"
    assert consents.results[0]["state"] == "given"

    texts = app.extensions["sms_gateway"].messages()
    assert spid.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")) in texts[0].text


def test_the_registered_person_is_sent_to_their_record(app, client):
    sign_in(app, client)
    register_household(Visitor(client), members=[])
    assert client.get("/register").location.endswith("/me")
    assert client.get("/register/q/name").location.endswith("/me")


def test_sending_twice_registers_once(app, client):
    sign_in(app, client)
    visitor = Visitor(client)
    register_household(visitor, members=MEMBERS[:1])
    with app.app_context():
        first = registry(app).search.by_id("MOBILE", NEW_PHONE, actor=READER).total_count
    assert first == 1
    # The same page sent again (a double tap): the registration is already gone.
    again = client.post("/register/check", data={})
    assert again.status_code in (302, 400)
    with app.app_context():
        assert registry(app).search.by_id("MOBILE", NEW_PHONE, actor=READER).total_count == 1
