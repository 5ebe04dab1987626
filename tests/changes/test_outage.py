"""A registry that does not answer: the request is still received, through the
outbox, and the citizen is told so honestly; the worker delivers it later."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal.outbox.worker import Worker
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.changes.conftest import change_requests_of, demo_person, post, text

WAITING_KM = "បានទទួល តែមិនទាន់ចូលប្រព័ន្ធចុះបញ្ជីនៅឡើយ"


def registry_down(app, monkeypatch) -> None:
    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("registry down for this test")

    with app.app_context():
        monkeypatch.setattr(registry(app).connection, "call", unavailable)


def test_a_request_sent_while_the_registry_is_down_is_received_and_delivered_later(
    app, citizen, monkeypatch
):
    head = demo_person(app)
    before = len(change_requests_of(app, head["spid"]))
    post(citizen, "/me/changes/new", {"request_type": "phone_number"})
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    post(citizen, "/me/changes/new/anything-else", {"justification": ""})

    registry_down(app, monkeypatch)
    assert citizen.get("/me/changes/new/check").status_code == 200
    response = post(citizen, "/me/changes/new/check")
    assert response.location == "/me/changes/sent"
    page = text(citizen.get("/me/changes/sent"))
    assert "ប្រព័ន្ធចុះបញ្ជីមិនឆ្លើយតបទេ" in page  # the registry is not answering
    assert "CR-២០" in page
    receipts = [m for m in app.extensions["sms_gateway"].messages() if "CR-" in m.text]
    assert [m.to for m in receipts] == ["+85512000045"]  # the number signed in with

    # The list shows it honestly, even while the registry is down.
    page = text(citizen.get("/me/changes"))
    assert WAITING_KM in page
    waiting_link = page.split('href="/me/changes/')[2].split('"')[0]
    assert WAITING_KM in text(citizen.get(f"/me/changes/{waiting_link}"))

    monkeypatch.undo()
    assert len(change_requests_of(app, head["spid"])) == before
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        assert Worker(app, lease=30).work_until_empty() >= 1
    found = [c for c in change_requests_of(app, head["spid"]) if c["id"] == waiting_link]
    assert found and found[0]["proposed_changes"] == {"phone_number": ["+85597888777"]}
    texts = [m.text for m in app.extensions["sms_gateway"].messages() if "CR-" in m.text]
    assert len(texts) == 2  # received, then recorded in the registry
    page = text(citizen.get("/me/changes"))
    assert WAITING_KM not in page
    assert f'href="/me/changes/{waiting_link}"' in page


def test_the_list_needs_the_registry_when_nothing_waits(app, citizen, monkeypatch):
    registry_down(app, monkeypatch)
    response = citizen.get("/me/changes")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
