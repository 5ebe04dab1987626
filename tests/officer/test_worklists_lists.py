"""The officer's other work lists: grievances they reported for someone (with
their status), what they did today (Phnom Penh day, newest first, with the
person and the channel), the counts on /officer, and a "link this phone"
claim confirmed at the commune office that links the citizen's session."""

from __future__ import annotations

import re
import uuid

import pytest

from portal import outbox
from portal.grievances import states
from portal.notifications import messages
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import ask_for_code, enter_code, last_code
from tests.officer.conftest import COMMUNE, OTHER_VILLAGE, person
from tests.officer.worklist_support import (
    change_request,
    decide,
    detail,
    english_officer,
    grievance_by,
    grouped,
    move_activity_back,
    read_person,
    text,
    texts_to,
)

OFFICER = "officer.sok"
SECOND_VILLAGE = "12010901"  # commune 120109, also the officer's
AT_OFFICE = f"officer:{OFFICER}@{COMMUNE}"


@pytest.fixture
def officer(app):
    return english_officer(app, OFFICER, [COMMUNE, SECOND_VILLAGE[:6]])


def test_grievances_i_reported_for_someone_newest_first(app, officer):
    villager, neighbour = person(app), person(app, village=SECOND_VILLAGE)
    first = grievance_by(app, AT_OFFICE, villager)
    second = grievance_by(
        app, f"officer:{OFFICER}@{SECOND_VILLAGE[:6]}", neighbour, category="registration"
    )
    with app.app_context():
        handler = Actor(actor="grievance_handler:dara", purpose="grievance handling")
        registry(app).grievances.update(
            first["id"], {"status": "investigating"}, actor=handler, reason="checking"
        )
    not_mine = grievance_by(app, f"officer:officer.dara@{COMMUNE}", villager)
    citizens_own = grievance_by(app, f"citizen:{villager['spid']}", villager)

    response = officer.get("/officer/grievances")
    assert response.status_code == 200
    shown = text(response)
    readable = [f"{g['reference'][:11]} {g['reference'][11:]}" for g in (first, second)]
    assert shown.index(readable[1]) < shown.index(readable[0])  # newest first
    for other in (not_mine, citizens_own):
        assert f"{other['reference'][:11]} {other['reference'][11:]}" not in shown
    with app.test_request_context("/?lang=en"):
        being_looked_into = str(states.words("investigating")[0])
    assert being_looked_into in shown and "Received" in shown
    assert "2 grievances, newest first." in shown


def test_no_grievance_yet(app, officer):
    assert "You have not reported a grievance for anyone yet." in text(
        officer.get("/officer/grievances")
    )


def test_what_i_did_today_newest_first_with_the_person_and_channel(app, officer):
    villager = person(app)
    change = change_request(app, villager, "phone_number")
    assert decide(officer, change, "confirm").status_code == 302
    grievance_by(app, AT_OFFICE, villager)  # as the assisted session would (below)
    with app.app_context():
        assisted = Actor(
            actor=AT_OFFICE,
            purpose="walk-in help",
            on_behalf_of=villager["spid"],
            channel="officer",
        )
        registry(app).persons.read(villager["id"], actor=assisted)
        someone_else = Actor(actor="officer:officer.dara", purpose="change request review")
        registry(app).persons.read(villager["id"], actor=someone_else)

    response = officer.get("/officer/activity")
    assert response.status_code == 200
    shown = text(response)
    assert "Opened a record" in shown and "Walk-in help" in shown
    assert "Assisted at the commune office" in shown
    assert "Change request: approved" in shown and "Checking change requests" in shown
    assert "Grievance reported" in shown
    assert grouped(villager["spid"]) in shown
    # newest first: the read at the office came after the approval
    assert shown.index("Walk-in help") < shown.index("Change request: approved")
    assert shown.index("Change request: approved") < shown.index("Change request: being checked")
    rows = re.findall(r"<tr>", response.get_data(as_text=True))
    assert len(rows) >= 6

    move_activity_back(app, f"officer:{OFFICER}", hours=30)
    move_activity_back(app, AT_OFFICE, hours=30)
    later = text(officer.get("/officer/activity"))
    # Looking at the list of requests just now is today's; yesterday's is gone.
    assert "Change request: approved" not in later and "Walk-in help" not in later


def test_nothing_yet_today(app, officer):
    assert "Nothing yet today." in text(officer.get("/officer/activity"))


def test_lists_of_people_are_one_row(app, officer):
    villagers = [person(app) for _ in range(3)]
    for villager in villagers:
        change_request(app, villager)
    officer.get("/officer/changes")
    shown = text(officer.get("/officer/activity"))
    assert "Looked at a list" in shown and "3 people" in shown


def test_my_home_page_counts_my_work_lists(app, officer):
    villager = person(app)
    change_request(app, villager)
    change_request(app, villager, status="in_review")
    change_request(app, person(app, village=OTHER_VILLAGE))
    grievance_by(app, AT_OFFICE, villager)
    with app.app_context():
        registry(app).applications.create(
            {
                "id": str(uuid.uuid4()),
                "programme_id": "pregnancy_child_cash",
                "applicant_spid": villager["spid"],
                "channel": "officer",
                "status": "submitted",
            },
            actor=Actor(actor=AT_OFFICE, purpose="application", on_behalf_of=villager["spid"]),
        )
    before = len(_log(app, villager))

    page = officer.get("/officer").get_data(as_text=True)

    assert "Your work lists" in page
    counted = dict(re.findall(r'href="([^"]+)">[^<]+</a> <strong class="tag[^"]*">([^<]+)<', page))
    assert counted["/officer/changes"] == "2"
    assert counted["/officer/grievances"] == "1"
    assert counted["/backoffice/applications"] == "1"
    assert "/officer/activity" in counted
    # Counting read no one: the villager's access log did not grow.
    assert len(_log(app, villager)) == before


def _log(app, villager) -> list:
    with app.app_context():
        reader = Actor(actor="test:reader", purpose="test check")
        return registry(app).persons.access_log(villager["id"], actor=reader).entries


def test_a_phone_claim_confirmed_at_the_office_links_the_citizen(app, officer):
    surveyed = person(
        app,
        household=False,
        identifier=[{"identifier_type": "NIN", "identifier_value": "246813579"}],
        birth_date="1979-08-21",
        phone_number=[],
    )
    citizen = app.test_client()
    ask_for_code(citizen, "092 123 456")
    enter_code(citizen, last_code(app))
    claim_page = citizen.get("/register/claim").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', claim_page)
    sent = citizen.post(
        "/register/claim",
        data={
            "csrf_token": token.group(1),
            "identifier_value": "246813579",
            "birth_date-day": "21",
            "birth_date-month": "8",
            "birth_date-year": "1979",
        },
    )
    assert sent.status_code == 302 and sent.location.endswith("/register/claim/sent")

    listed = officer.get("/officer/changes").get_data(as_text=True)
    found = re.search(
        r'href="/officer/changes/([0-9a-f-]{36})">Link a phone to this person<', listed
    )
    assert found, listed
    claim = {"id": found.group(1)}
    shown = text(officer.get(detail(claim)))
    assert "Phone asking to be linked" in shown and "092 123 456" in shown
    assert "checked the person's national ID card" in shown

    assert decide(officer, claim, "confirm").status_code == 302
    assert read_person(app, surveyed["id"])["phone_number"] == ["+85592123456"]
    with app.app_context():
        reference = outbox.submission(key=f"claim/{claim['id']}").reference
        expected = messages.change_decided(reference, True, "km")
    assert reference.startswith("CL-") and texts_to(app, "+85592123456")[-1] == expected
    # The citizen's next visit links their session to the record.
    assert citizen.get("/register").location.endswith("/me")
