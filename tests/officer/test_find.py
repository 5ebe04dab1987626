"""/officer: a commune officer finds people of their communes only (by name in
Khmer or Latin letters, SPID, phone, national ID, household), opens a record
with a purpose that the person sees, and nothing personal is in an address."""

from __future__ import annotations

import pytest

from tests.officer.conftest import (
    OFFICER,
    OTHER_VILLAGE,
    access_log,
    open_record,
    page_text,
    person,
    post,
    search,
    text,
)
from tests.staff.conftest import create_staff, sign_in

CHENDA = {"name_km": {"surname": "ចាន់", "given_name": "ចិន្តា"}}
CHENDA_LATIN = {"name": {"surname": "Chan", "given_name": "Chenda"}}


@pytest.fixture
def chenda(app):
    return person(app, **CHENDA, **CHENDA_LATIN, birth_date="1988-02-03")


@pytest.fixture
def stranger(app):
    """The same name in another commune."""
    return person(app, village=OTHER_VILLAGE, **CHENDA, **CHENDA_LATIN)


@pytest.mark.parametrize(
    "typed",
    [
        "ចាន់ ចិន្តា",
        "ចាន់\u200bចិន្ដា",  # a zero-width space between the words, coeng DA for coeng TA
        "ចិន្ដា",
        "chan chenda",
        "Chendar",
    ],
)
def test_a_name_finds_the_person_of_my_commune_only(app, officer, chenda, stranger, typed):
    response = search(officer, typed)
    assert response.status_code == 200
    page = page_text(response)
    assert chenda["spid"][:3] + " " + chenda["spid"][3:6] in page
    assert stranger["spid"][:3] + " " + stranger["spid"][3:6] not in page
    assert "Born in 1988" in page
    # what was typed is neither in the address nor lost
    assert response.request.path == "/officer"


def test_identifiers_find_only_people_of_my_communes(app, officer, chenda, stranger):
    nin = chenda["identifier"][0]["identifier_value"]
    for typed in (chenda["spid"], chenda["phone_number"][0].replace("+855", "0"), nin):
        assert chenda["spid"] in text(search(officer, typed)), typed
    other_nin = stranger["identifier"][0]["identifier_value"]
    for typed in (stranger["spid"], stranger["phone_number"][0].replace("+855", "0"), other_nin):
        found = page_text(search(officer, typed))
        assert "0 people found" in found, typed
    household = chenda["household_identifier"]
    assert chenda["spid"] in text(search(officer, household))
    # Searching never showed the stranger: their access log has no officer in it.
    assert not [e for e in access_log(app, stranger["id"]) if e.actor.startswith("officer:")]


@pytest.mark.parametrize("typed", ["", "ab", "  ក ", "a\x00bc", "x" * 101])
def test_what_cannot_be_searched_is_explained(officer, typed):
    response = search(officer, typed)
    assert response.status_code == 422
    assert 'class="err-sum"' in text(response)


def test_opening_asks_why_and_the_person_sees_it(app, officer, chenda):
    opened = open_record(officer, chenda["spid"], "home visit")
    assert opened.status_code == 302 and opened.location == "/officer/record"
    page = officer.get("/officer/record")
    assert page.status_code == 200
    assert "ចាន់ ចិន្តា" in text(page) and page.headers["Cache-Control"] == "no-store"
    entries = access_log(app, chenda["id"])
    assert any(
        e.actor == f"officer:{OFFICER}@120101" and e.purpose == "home visit" and e.action == "read"
        for e in entries
    ), entries


def test_a_purpose_must_be_chosen(app, officer, chenda):
    post(officer, "/officer/open", {"spid": chenda["spid"]}, page="/officer")
    response = post(officer, "/officer/purpose", {"purpose": "curiosity"})
    assert response.status_code == 422
    assert "Choose why you are opening this record" in page_text(response)


def test_a_guessed_spid_of_another_commune_is_not_opened(app, officer, stranger):
    response = open_record(officer, stranger["spid"])
    assert response.status_code == 404
    assert officer.get("/officer/record").location == "/officer"
    assert not [e for e in access_log(app, stranger["id"]) if e.actor.startswith("officer:")]


def test_a_malformed_choice_is_refused(officer):
    response = post(officer, "/officer/open", {"spid": "12345' OR 1=1"}, page="/officer")
    assert response.status_code == 404


def test_only_commune_officers_use_the_officer_pages(app, chenda):
    assert app.test_client().get("/officer").status_code == 302  # to the staff sign-in
    secret = create_staff(app, "dara.programme", "programme_officer")
    client = app.test_client()
    sign_in(client, "dara.programme", secret)
    assert client.get("/officer").status_code == 403
    assert client.post("/officer", data={"query": "chenda"}).status_code in (400, 403)
    assert client.get("/officer/record").status_code == 403


def test_a_national_id_that_looks_like_a_phone_number_is_found(app, officer):
    """9 digits from 0 can be a mobile number and a national ID at once."""
    someone = person(app, identifier=[{"identifier_type": "NIN", "identifier_value": "078298795"}])
    assert someone["spid"] in text(search(officer, "078298795"))
    assert someone["spid"] in text(search(officer, "078 298 795"))
