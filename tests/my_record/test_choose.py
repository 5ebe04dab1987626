"""One phone, several people: after sign-in the citizen says who they are
(/me/choose), and the session is linked only to someone from its own list."""

from __future__ import annotations

import re

import pytest

from portal.accounts.services import CANDIDATES
from tests.accounts.conftest import token
from tests.my_record.conftest import (
    demo_citizen_id,
    grouped,
    people_sharing_a_phone,
    sign_in,
    text_of,
)
from tests.support.demo_data import SHARED_PHONE, SHARED_PHONE_MOTHER_ID, demo_person_id

PHONE = "016 555 777"


@pytest.fixture
def family(app):
    return people_sharing_a_phone(app, PHONE)


@pytest.fixture
def client(app, family):
    client = app.test_client()
    assert sign_in(client, app, phone=PHONE).location == "/me/choose"
    return client


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def choose(client, person_id: str, path: str = "/me/choose"):
    return client.post(path, data={"csrf_token": token(client, path), "person_id": person_id})


def test_sign_in_links_no_one_and_keeps_only_the_candidates(client, family):
    session = session_of(client)
    assert session["citizen"]["person_id"] is None and session["citizen"]["spid"] is None
    assert session[CANDIDATES] == [
        {
            "person_id": person["id"],
            "spid": person["spid"],
            "name": f"{person['name_km']['surname']} {person['name_km']['given_name']}",
            "birth_year": int(person["birth_date"][:4]),
        }
        for person in sorted(family, key=lambda person: person["spid"])
    ]


def test_the_choice_page_lists_the_people_and_someone_else(client, family):
    response = client.get("/me/choose")
    page = text_of(response)
    assert "Who are you?" in page
    assert f"សុខ ដារា, born in 1980, SPID {grouped(family[0]['spid'])}" in page
    assert f"សុខ សុភា, born in 1984, SPID {grouped(family[1]['spid'])}" in page
    assert "I am someone else" in page
    assert "We did not find one registration" not in page
    khmer = text_of(client.get("/me/choose?lang=km"))
    assert "កើតឆ្នាំ ១៩៨០" in khmer and "តើអ្នកជានរណា?" in khmer


def test_my_pages_ask_first(client):
    for path in ("/me", "/me/card", "/me/data-access"):
        assert client.get(path).location == "/me/choose", path


def test_choosing_links_the_session_and_switching_is_offered(client, family):
    response = choose(client, family[1]["id"])
    assert response.status_code == 302 and response.location == "/me"
    citizen = session_of(client)["citizen"]
    assert (citizen["person_id"], citizen["spid"]) == (family[1]["id"], family[1]["spid"])
    page = text_of(client.get("/me"))
    assert grouped(family[1]["spid"]) in page
    assert "You are now using the portal as សុខ សុភា." in page
    assert 'href="/me/choose"' in client.get("/me").get_data(as_text=True)  # Switch person
    # switching: the page shows who is chosen now, and a new choice links the other
    assert re.search(rf'value="{family[1]["id"]}" checked', client.get("/me/choose").text)
    choose(client, family[0]["id"])
    assert session_of(client)["citizen"]["person_id"] == family[0]["id"]
    assert grouped(family[0]["spid"]) in text_of(client.get("/me"))


@pytest.mark.parametrize(
    "guess", [demo_citizen_id(), demo_person_id(0, 1), "", "someone", "' OR 1=1 --"]
)
def test_a_person_not_in_the_list_is_refused(client, guess):
    response = choose(client, guess)
    assert response.status_code == 200
    assert "Choose who you are" in text_of(response)
    assert 'class="err-sum"' in response.get_data(as_text=True)
    assert session_of(client)["citizen"]["person_id"] is None


def test_no_choice_is_refused(client):
    response = client.post("/me/choose", data={"csrf_token": token(client, "/me/choose")})
    assert "Choose who you are" in text_of(response)
    assert session_of(client)["citizen"]["person_id"] is None


def test_a_choice_needs_the_security_token(client, family):
    response = client.post("/me/choose", data={"person_id": family[0]["id"]})
    assert response.status_code == 400
    assert session_of(client)["citizen"]["person_id"] is None


def test_someone_else_stays_unlinked_and_goes_to_register(client, family):
    choose(client, family[0]["id"])
    response = choose(client, "someone-else")
    assert response.location == "/register"
    assert session_of(client)["citizen"]["person_id"] is None
    assert session_of(client)["citizen"]["spid"] is None
    assert client.get("/me").location == "/me/choose"  # they may still be one of them


def test_switching_forgets_what_was_worked_out_or_half_written_for_the_other_person(client, family):
    choose(client, family[0]["id"])
    with client.session_transaction() as session:
        session["screener"] = {"answers": {}, "unknown": [], "known": {"person.sex": "male"}}
        session["change_request"] = {"kind": "address", "answers": {}}
        session["registration"] = {"answers": {"name": {"surname": "សុខ"}}}
    choose(client, family[1]["id"])
    left = session_of(client)
    assert {"screener", "change_request", "registration"}.isdisjoint(left)


def test_after_choosing_the_citizen_goes_where_they_were_going(app, family):
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    client.post(
        "/login?next=/eligibility",
        data={"csrf_token": token(client, "/login"), "phone_number": PHONE},
    )
    from tests.accounts.conftest import enter_code, last_code

    response = enter_code(client, last_code(app))
    assert response.location == "/me/choose?next=/eligibility"
    assert choose(client, family[0]["id"], response.location).location == "/eligibility"
    bad = choose(client, family[0]["id"], "/me/choose?next=//evil.example")
    assert bad.location == "/me"


def test_a_single_person_with_the_phone_is_linked_at_once(app):
    client = app.test_client()
    assert sign_in(client, app).location == "/"
    assert session_of(client)["citizen"]["person_id"] == demo_citizen_id()
    assert CANDIDATES not in session_of(client)
    assert client.get("/me/choose").location == "/me"
    assert "Switch person" not in text_of(client.get("/me"))


def test_the_demo_family_sharing_a_phone(app):
    """The demo mother (year of birth only, Equity Card not checked) and her son."""
    client = app.test_client()
    assert sign_in(client, app, phone=SHARED_PHONE).location == "/me/choose"
    names = text_of(client.get("/me/choose"))
    assert "យឹម ស្រីមុំ, born in 1950" in names and "យឹម សំណាង, born in 1979" in names
    choose(client, SHARED_PHONE_MOTHER_ID)
    page = text_of(client.get("/me"))
    assert "Date of birth 1950 (year only)" in page
    assert "National ID card None recorded" in page
    assert "Not checked yet Level 2" in page and "An officer has not checked it yet" in page
    assert "យឹម សំណាង" in page and "Child" in page  # her son, in her household
    assert "Switch person" in page


def test_the_choice_page_fits_the_first_round_trip(client):
    from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure

    for language in ("km", "en"):
        weight = measure(client, f"/me/choose?lang={language}")
        assert weight.html_bytes > 500 and weight.total <= FIRST_ROUND_TRIP_BYTES, weight
