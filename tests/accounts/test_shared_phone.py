"""Sign-in when several people have the verified phone number (a family
sharing one phone): the session is linked to none of them and keeps only what
tells them apart; inactive records do not count."""

from __future__ import annotations

from portal.accounts.services import CANDIDATES
from portal.registry_access import registry
from tests.accounts.conftest import (
    TEST_ACTOR,
    ask_for_code,
    enter_code,
    last_code,
    registered_person,
)

PHONE = "097 555 7777"


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def test_several_people_with_the_phone_are_candidates_not_a_link(app, client):
    first = registered_person(app, phone_number=[PHONE], birth_date="1970-05-06")
    second = registered_person(app, phone_number=[PHONE], birth_date="1999-12-31")
    ask_for_code(client, PHONE)
    response = enter_code(client, last_code(app))
    assert response.location == "/me/choose"
    session = session_of(client)
    assert session["citizen"]["person_id"] is None
    candidates = {entry["person_id"]: entry for entry in session[CANDIDATES]}
    assert set(candidates) == {first["id"], second["id"]}
    assert candidates[first["id"]] == {
        "person_id": first["id"],
        "spid": first["spid"],
        "name": "ចាន់ សុខា",
        "birth_year": 1970,
    }


def test_an_inactive_record_with_the_phone_does_not_count(app, client):
    active = registered_person(app, phone_number=[PHONE])
    gone = registered_person(app, phone_number=[PHONE])
    with app.app_context():
        registry(app).persons.deactivate(gone["id"], actor=TEST_ACTOR)
    ask_for_code(client, PHONE)
    assert enter_code(client, last_code(app)).location == "/"
    session = session_of(client)
    assert session["citizen"]["person_id"] == active["id"]
    assert CANDIDATES not in session


def test_the_candidates_go_with_sign_out(app, client):
    registered_person(app, phone_number=[PHONE])
    registered_person(app, phone_number=[PHONE])
    ask_for_code(client, PHONE)
    enter_code(client, last_code(app))
    client.post("/logout")
    assert CANDIDATES not in session_of(client)
