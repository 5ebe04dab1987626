"""Acting for someone at the commune office: consent first (recorded in the
registry, the person texted), the citizen's pages for them with every
submission stamped with the officer, the person and the channel, and an end
(at "end" or after 15 minutes idle) after which nothing personal is shown."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.khmer import spid_groups
from portal.registry.client import predicate
from portal.registry_access import registry
from portal.web.identity import ASSISTED
from tests.backoffice.conftest import texts_to
from tests.grievances.test_report import answer, send
from tests.officer.conftest import (
    OFFICER,
    READER,
    act_for,
    open_record,
    page_text,
    person,
    post,
    text,
)
from tests.registration.conftest import MEMBERS, Visitor, register_household

ACTOR = f"officer:{OFFICER}@120101"


@pytest.fixture
def villager(app):
    return person(
        app,
        name_km={"surname": "សុខ", "given_name": "ស្រីនិច"},
        name={"surname": "Sok", "given_name": "Srey Nich"},
    )


@pytest.fixture
def acting(app, officer, villager):
    assert open_record(officer, villager["spid"]).status_code == 302
    response = act_for(officer, "thumbprint", "KC-2026-0042")
    assert response.status_code == 302 and response.location == "/me"
    return officer


def consents(app, spid: str) -> list[dict]:
    with app.app_context():
        return registry(app).consents.list(actor=READER, individual_spid=spid).results


def test_a_thumbprint_needs_the_forms_number(app, officer, villager):
    open_record(officer, villager["spid"])
    response = act_for(officer, "thumbprint", "")
    assert response.status_code == 422
    assert "Write the number printed on the paper form" in page_text(response)
    assert officer.get("/me").location == "/officer"  # not acting for anyone yet


def test_consent_is_recorded_and_the_person_is_texted(app, acting, villager):
    given = [c for c in consents(app, villager["spid"]) if c["purpose"] == "assisted_service"]
    assert len(given) == 1
    assert given[0]["method"] == "thumbprint" and given[0]["form_number"] == "KC-2026-0042"
    assert given[0]["collected_by"] == ACTOR
    messages = texts_to(app, villager["phone_number"][0])
    assert any("commune office" in m or "ឃុំ" in m for m in messages), messages


def test_the_bar_names_the_person_on_every_page(acting, villager):
    for path in ("/me", "/applications", "/grievances/new", "/officer"):
        page = acting.get(path)
        assert page.status_code == 200, path
        words = page_text(page)
        assert "Acting for សុខ ស្រីនិច" in words or "សុខ ស្រីនិច" in words, path
        assert page.headers["Cache-Control"] == "no-store"
        assert 'action="/officer/end"' in text(page)


def test_a_grievance_reported_for_them_is_stamped(app, acting, villager):
    post(acting, "/grievances/new")
    answer(acting, contact="mine")
    send(acting)
    with app.app_context():
        found = registry(app).grievances.list(actor=READER, complainant_spid=villager["spid"])
    (case,) = found.results
    assert case["channel"] == "officer" and case["created_by"] == ACTOR
    assert case["complainant"]["contact_phone"] == villager["phone_number"][0]
    with app.app_context():
        history = registry(app).grievances.read(case["id"], actor=READER)["history"]
    assert history[0]["actor"] == ACTOR and history[0]["on_behalf_of"] == villager["spid"]
    assert history[0]["channel"] == "officer"


def test_after_the_end_nothing_personal_is_shown(app, acting, villager):
    ended = post(acting, "/officer/end", page="/me")
    assert ended.status_code == 302 and ended.location == "/officer"
    for path in ("/me", "/applications", "/me/changes"):
        back = acting.get(path)
        assert back.status_code == 302 and back.location == "/officer", path
    home = page_text(acting.get("/officer"))
    assert "ស្រីនិច" not in home and villager["spid"][:3] + " " not in home
    assert acting.get("/officer/record").location == "/officer"


def test_fifteen_idle_minutes_end_the_assisted_session(app, acting, villager):
    with acting.session_transaction() as session:
        assisted = session[ASSISTED]
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
        session[ASSISTED] = {**assisted, "last_seen": long_ago.isoformat()}
    response = acting.get("/me")
    assert response.status_code == 302 and response.location == "/officer"
    home = page_text(acting.get("/officer"))
    assert "15 minutes without activity" in home
    assert "ស្រីនិច" not in home
    # the officer is still signed in
    assert acting.get("/officer").status_code == 200


def test_a_walk_in_is_registered_with_their_consent(app, officer):
    response = post(
        officer,
        "/officer/walk-in",
        {"name": "Keo Rachana", "phone_number": "017 555 123", "method": "in_person"},
    )
    assert response.status_code == 302 and response.location == "/register"
    page = page_text(officer.get("/register"))
    assert "Acting for Keo Rachana (not registered yet)" in page
    # in Khmer: the person has not chosen a language yet
    assert any("ការិយាល័យឃុំ" in m for m in texts_to(app, "+85517555123"))


def test_a_walk_in_needs_a_name_and_a_real_phone(officer):
    response = post(
        officer, "/officer/walk-in", {"name": "", "phone_number": "12", "method": "in_person"}
    )
    assert response.status_code == 422
    words = page_text(response)
    assert "Write the person's name" in words and "Enter a Cambodian mobile number" in words


def test_a_walk_in_registered_at_the_office_has_the_officer_in_the_record(app, officer):
    post(
        officer,
        "/officer/walk-in",
        {"name": "សុខ ចាន់ថា", "phone_number": "", "method": "thumbprint", "form_number": "F-77"},
    )
    done = register_household(Visitor(officer), members=MEMBERS[:1])
    assert done.status_code == 302
    with app.app_context():
        client = registry(app)
        found = client.search.by_predicate(
            [predicate("name", "eq", "សុខ ចាន់ថា"), predicate("commune_code", "eq", "120101")],
            actor=READER,
        ).records
        (head,) = found
        given = client.consents.list(actor=READER, individual_spid=head["spid"]).results
        history = client.persons.access_log(head["id"], actor=READER).entries
    assert {c["purpose"] for c in given} == {"registration", "assisted_service"}
    assisted = next(c for c in given if c["purpose"] == "assisted_service")
    assert (assisted["method"], assisted["form_number"]) == ("thumbprint", "F-77")
    assert all(c["collected_by"] == ACTOR for c in given)
    created = [e for e in history if e.action == "create"]
    assert created and all(
        e.actor == ACTOR and e.on_behalf_of == "walk-in" and e.channel == "officer" for e in created
    )
    assert "phone_number" not in head or not head["phone_number"]  # no phone was given
    # the bar now names the registered person by their new SPID
    bar = f"Acting for សុខ ចាន់ថា, SPID {spid_groups(head['spid'])}"
    assert bar in page_text(officer.get("/me"))


@pytest.mark.parametrize(
    "method, number, problem",
    [
        ("fingerprint", "", "Choose how the person agreed"),
        ("", "", "Choose how the person agreed"),
        ("thumbprint", "F-\x0012", "Remove the special characters"),
        ("thumbprint", "9" * 41, "Write at most 40 characters"),
    ],
)
def test_a_consent_that_cannot_be_recorded_is_explained(
    app, officer, villager, method, number, problem
):
    open_record(officer, villager["spid"])
    response = act_for(officer, method, number)
    assert response.status_code == 422
    assert problem in page_text(response)
    assert not [c for c in consents(app, villager["spid"]) if c["purpose"] == "assisted_service"]


@pytest.mark.parametrize(
    "name, phone",
    [("Keo\x00Rachana", "017 555 123"), ("ក" * 5_000, ""), ("Keo Rachana", "9" * 20)],
)
def test_hostile_walk_in_answers_are_refused(officer, name, phone):
    response = post(
        officer, "/officer/walk-in", {"name": name, "phone_number": phone, "method": "in_person"}
    )
    assert response.status_code == 422
    assert officer.get("/me").location == "/officer"  # not acting for anyone
