"""A registry that does not answer when the report is sent: it is still
received, through the outbox; the person gets the reference (and the PIN)
at once, and the worker delivers the report later."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal.grievances import pin as pins
from portal.outbox.worker import Worker
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.grievances.conftest import in_language, page_text, text
from tests.grievances.test_report import (
    PIN_SHOWN,
    answer,
    records,
    reference_on,
    send,
    sms_about,
)


def registry_down(app, monkeypatch) -> None:
    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("registry down for this test")

    with app.app_context():
        monkeypatch.setattr(registry(app).connection, "call", unavailable)


def worker_runs(app, minutes: int = 5) -> int:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    with time_machine.travel(later, tick=True):
        return Worker(app, lease=30).work_until_empty()


def test_a_report_sent_while_the_registry_is_down_is_delivered_later(app, monkeypatch):
    client = in_language(app.test_client(), "en")
    answer(client, contact="other", phone="012 456 789")
    registry_down(app, monkeypatch)
    page = send(client)
    assert page.status_code == 200
    assert "The registry is not answering just now" in page_text(page)
    reference = reference_on(page)
    assert len(sms_about(app, "+85512456789", reference)) == 1  # received

    monkeypatch.undo()
    assert records(app, reference) == []
    assert worker_runs(app) >= 1
    (record,) = records(app, reference)
    assert record["complainant"]["contact_phone"] == "+85512456789"
    assert len(sms_about(app, "+85512456789", reference)) == 2  # received, then delivered
    assert "The registry is not answering" not in page_text(client.get("/grievances/sent"))


def test_an_anonymous_report_sent_while_the_registry_is_down_keeps_its_pin(app, monkeypatch):
    client = in_language(app.test_client(), "en")
    answer(client, category="abuse", contact="anonymous")
    registry_down(app, monkeypatch)
    page = send(client)
    reference = reference_on(page)
    shown = PIN_SHOWN.search(text(page))
    the_pin = shown.group(1) + shown.group(2)
    monkeypatch.undo()
    worker_runs(app)
    (record,) = records(app, reference)
    assert record["confidential"] is True
    with app.app_context():
        assert pins.pin_matches(record, the_pin)
