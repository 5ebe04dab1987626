"""Signed in: /grievances lists the citizen's own cases (by SPID, else by their
verified phone), newest first, with reports still waiting in the outbox; and
/grievances/<reference> shows their own only: another person's reference, or
another person's case that shares their reference, is not found (404), for
every page and action, with guessed references too."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from portal.extensions import limiter
from portal.grievances.references import reference_of
from portal.outbox.worker import Worker
from portal.registry.client import RegistryUnavailable
from portal.registry.server.seed import demo_id
from portal.registry_access import registry
from tests.grievances.conftest import (
    READER,
    make_case,
    move,
    page_text,
    read,
    signed_in,
    token,
)
from tests.grievances.test_track import act, english
from tests.registry.factories import new_phone

MOTHER_PHONE = "013 000 041"  # household 0's registered mother
ACTIONS = ("information", "satisfied", "reopen", "appeal")


@pytest.fixture(autouse=True)
def fresh_limits(app):
    with app.app_context():
        limiter.reset()


@pytest.fixture(scope="module")
def mother(app):
    with app.app_context():
        person = registry(app).persons.read(demo_id("person-0-1"), actor=READER)
    assert "+85513000041" in person["phone_number"]
    return signed_in(app, MOTHER_PHONE), person["spid"]


@pytest.fixture(scope="module")
def stranger(app):
    phone = new_phone()
    return signed_in(app, phone), phone


def test_the_citizens_own_cases_by_spid_newest_first(app, mother):
    client, spid = mother
    older = make_case(app, spid=spid, description="Older one.")
    newer = make_case(app, spid=spid, category="registration", description="Newer one.")
    page = page_text(client.get("/grievances?lang=en"))
    assert page.index("My data is wrong") < page.index("Payment not received")
    for case in (older, newer):
        assert client.get(f"/grievances/{case['reference']}").status_code == 200
    assert "Newer one." in page_text(client.get(f"/grievances/{newer['reference'].lower()}"))


def test_a_citizen_without_a_record_sees_cases_of_their_phone(app, stranger):
    client, phone = stranger
    case = make_case(app, phone=phone, description="By my phone.")
    assert case["reference"][-3:] in page_text(client.get("/grievances?lang=en"))
    assert "By my phone." in page_text(client.get(f"/grievances/{case['reference']}"))


def test_another_citizens_reference_is_not_found(app, mother, stranger):
    client, _phone = stranger
    _mother_client, spid = mother
    theirs = make_case(app, spid=spid)
    assert client.get(f"/grievances/{theirs['reference']}").status_code == 404
    for action in ACTIONS:
        url = f"/grievances/{theirs['reference']}/{action}"
        assert client.get(url).status_code == 404
        answer = client.post(url, data={"csrf_token": token(client, "/track"), "text": "x"})
        assert answer.status_code == 404
    assert read(app, theirs["id"])["events"] == []


def test_a_shared_reference_gives_only_the_citizens_own_case(app, stranger):
    client, phone = stranger
    record_id = str(uuid.uuid4())
    reference = reference_of(record_id, dt.date.today())
    make_case(app, id=record_id, reference=reference, phone=new_phone(), description="Not yours.")
    assert client.get(f"/grievances/{reference}").status_code == 404
    make_case(app, id=str(uuid.uuid4()), reference=reference, phone=phone, description="Yours.")
    page = page_text(client.get(f"/grievances/{reference}"))
    assert "Yours." in page and "Not yours." not in page


@pytest.mark.parametrize(
    "guess", ["GR-2026-000001", "GR-1999-123456", "nonsense", "GR-2026-" + "9" * 20, "%00"]
)
def test_guessed_references_are_not_found(app, stranger, guess):
    client, _phone = stranger
    assert client.get(f"/grievances/{guess}").status_code == 404
    assert client.get(f"/grievances/{guess}/reopen").status_code == 404


def test_signed_in_actions_on_the_citizens_own_case(app, stranger):
    client, phone = stranger
    case = make_case(app, phone=phone)
    move(app, case, "resolved", decision_code="partly_upheld")
    url = f"/grievances/{case['reference']}"
    assert "Are you satisfied" in page_text(client.get(url + "?lang=en"))
    assert act(client, url + "/satisfied", {"satisfied": "no"}).location == url
    assert read(app, case["id"])["satisfied"] is False
    assert act(client, url + "/reopen", {"reason": "Only half was paid."}).location == url
    assert read(app, case["id"])["status"] == "reopened"
    assert act(client, url + "/information", {"text": "Paid 100,000 of 200,000."}).location == url
    assert read(app, case["id"])["events"][-1]["note"] == "Paid 100,000 of 200,000."


def test_signed_out_the_pages_ask_to_sign_in(app):
    client = app.test_client()
    assert "/login" in client.get("/grievances").location
    assert "/login" in client.get("/grievances/GR-2026-000001").location


def test_an_action_while_the_registry_cannot_write_waits_in_the_outbox(app, monkeypatch, stranger):
    client, phone = stranger
    case = move(app, make_case(app, phone=phone), "resolved", decision_code="upheld")
    url = f"/grievances/{case['reference']}"
    with app.app_context():
        connection = registry(app).connection
    answering = connection.call

    def reads_only(method, path, *args, **kwargs):
        if method == "PUT" or path.endswith("/update-or-create"):
            raise RegistryUnavailable("registry writes down for this test")
        return answering(method, path, *args, **kwargs)

    monkeypatch.setattr(connection, "call", reads_only)
    assert act(client, url + "/reopen", {"reason": "Nothing changed."}).location == url
    page = page_text(client.get(url + "?lang=en"))
    assert "It will reach the complaints team as soon as the registry answers" in page
    assert "Ask for it to be looked at again" not in page  # not offered twice meanwhile
    assert read(app, case["id"])["status"] == "resolved"

    monkeypatch.undo()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        assert Worker(app, lease=30).work_until_empty() >= 1
    assert read(app, case["id"])["status"] == "reopened"


def test_an_unknown_action_is_not_found(app, stranger):
    client, phone = stranger
    case = make_case(app, phone=phone)
    assert client.get(f"/grievances/{case['reference']}/delete").status_code == 404
    assert english(app).get("/track/case/delete").status_code == 404


def test_a_case_reported_with_only_the_citizens_phone_is_listed_with_their_own(app, mother):
    client, spid = mother
    by_spid = make_case(app, spid=spid, description="With my SPID.")
    by_phone = make_case(app, phone="+85513000041", description="With my phone only.")
    someone_else = make_case(app, phone=new_phone(), description="Not mine.")
    page = page_text(client.get("/grievances"))
    for mine in (by_spid, by_phone):
        assert mine["reference"] in page.replace(" ", ""), mine["reference"]
    assert someone_else["reference"] not in page.replace(" ", "")
    shown = client.get(f"/grievances/{by_phone['reference']}")
    assert shown.status_code == 200
    assert client.get(f"/grievances/{someone_else['reference']}").status_code == 404
