"""An update through the outbox may carry a status change (reason, note) and
an event: both reach the registry's history, once, delivered now or by the
worker later."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from portal import outbox
from portal.outbox.worker import Worker
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.applications.conftest import READER, make_applicant, move, verified_card
from tests.applications.test_outage import registry_down

CITIZEN = Actor(actor="citizen:test", purpose="application", on_behalf_of="self")
ANSWER = {"kind": "information_given", "text": "ខ្ញុំនឹងយកមកថ្ងៃច័ន្ទ"}


def asked_for_information(app) -> dict:
    applicant = make_applicant(app, birth_date="1950-05-05", card=verified_card())
    content = {
        "id": str(uuid.uuid4()),
        "programme_id": "elderly_allowance",
        "applicant_spid": applicant["person"]["spid"],
        "channel": "web",
    }
    with app.app_context():
        record = registry(app).applications.create(content, actor=READER)
    return move(app, record, "information_requested", reason="information_needed", note="ID?")


def read(app, record_id: str) -> dict:
    with app.app_context():
        return registry(app).applications.read(record_id, actor=READER)


def give_answer(app, record: dict, key: str):
    with app.app_context():
        return outbox.submit(
            "applications",
            {"status": "received"},
            actor=CITIZEN,
            operation="update",
            record_id=record["id"],
            key=key,
            status_change={"reason": "information_given", "note": None},
            event=ANSWER,
        )


def test_an_update_carries_its_status_change_and_event(app):
    record = asked_for_information(app)
    key = f"test/{record['id']}"
    assert give_answer(app, record, key).delivered
    assert give_answer(app, record, key).key == key  # the same key: the same write
    now = read(app, record["id"])
    assert now["status"] == "received"
    assert now["history"][-1]["reason"] == "information_given"
    assert [e["note"] for e in now["events"] if e["kind"] == "information_given"] == [
        ANSWER["text"]
    ]


def test_a_delayed_update_is_delivered_with_its_event_once(app, monkeypatch):
    record = asked_for_information(app)
    registry_down(app, monkeypatch)
    assert not give_answer(app, record, f"test/late/{record['id']}").delivered
    monkeypatch.undo()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        assert Worker(app, lease=30).work_until_empty() >= 1
    now = read(app, record["id"])
    assert now["status"] == "received"
    assert len([e for e in now["events"] if e["kind"] == "information_given"]) == 1


def test_only_an_update_carries_a_status_change_or_an_event(app):
    with app.app_context(), pytest.raises(ValueError):
        outbox.submit("applications", {"id": str(uuid.uuid4())}, actor=CITIZEN, event=ANSWER)
