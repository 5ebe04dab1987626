"""Submissions through the outbox, one process: delivered at once, kept
sealed while waiting, retried with pauses, parked when refused for good."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from sqlalchemy import select

from portal import outbox
from portal.database import db
from portal.notifications.messages import readable_reference
from portal.notifications.rate import SendingRate
from portal.outbox.delivery import FIRST_PAUSE, LONGEST_PAUSE, pause_after
from portal.outbox.models import OutboxItem
from portal.outbox.worker import Worker
from portal.registry.client import RegistryValidationError
from tests.outbox.conftest import CITIZEN, DELIVERED_KM, RECEIVED_KM
from tests.registry.factories import person_content

PHONE = "+85512000111"


def later(minutes: float):
    """Move the clock on (pauses between attempts, the circuit breaker's rest)."""
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    return time_machine.travel(moment, tick=True)


def items(app) -> list[OutboxItem]:
    with app.app_context(), db.session() as session:
        return list(session.scalars(select(OutboxItem).order_by(OutboxItem.id)))


def register(app, content=None, **options) -> outbox.Submission:
    """Submit as a page does: inside a request, with its registry deadline."""
    with app.test_request_context("/"):
        app.preprocess_request()
        return outbox.submit(
            "persons",
            content or person_content(),
            actor=CITIZEN,
            reference=options.pop("reference", "REG-2026-004217"),
            receipt=options.pop("receipt", outbox.Recipient(PHONE, "km")),
            **options,
        )


def work(app) -> int:
    return Worker(app, lease=30).work_until_empty()


def test_a_submission_reaches_the_registry_at_once_and_leaves_no_personal_data(
    portal_app, provider
):
    content = person_content()

    submitted = register(portal_app, content, owner="person:test")

    assert submitted.state == "delivered" and submitted.record["id"] == content["id"]
    assert submitted.record["spid"]
    [write, receipt] = items(portal_app)
    assert (write.state, write.payload, write.record_id) == ("delivered", None, content["id"])
    assert (receipt.state, receipt.payload) == ("delivered", None)
    [message] = provider.received
    assert message["to"] == PHONE
    assert RECEIVED_KM in message["text"] and "REG-2026-004 217" in message["text"]


def test_sending_the_same_submission_twice_keeps_one(portal_app, provider):
    first = register(portal_app, key="form-7f3a")
    again = register(portal_app, key="form-7f3a")

    assert again.record_id == first.record_id and again.state == "delivered"
    assert len(items(portal_app)) == 2  # the write and its receipt, once
    assert len(provider.received) == 1


def test_a_submission_the_registry_refuses_at_once_is_explained_and_not_kept(portal_app, provider):
    with pytest.raises(RegistryValidationError) as refused:
        register(portal_app, person_content(birth_date="2999-01-01"))

    assert "write.content.birth_date" in refused.value.field_errors
    assert items(portal_app) == [] and provider.received == []


def test_while_the_registry_is_down_the_submission_waits_sealed(portal_app, switchable, provider):
    registry, _ = switchable
    registry.down = True
    content = person_content(name={"given_name": "Bopha", "surname": "Keo"})

    submitted = register(portal_app, content, owner="person:waiting")

    assert submitted.state == "waiting" and submitted.reference == "REG-2026-004217"
    write = items(portal_app)[0]
    assert write.attempts == 1 and "registry unavailable" in write.last_error
    for secret in (b"Bopha", content["identifier"][0]["identifier_value"].encode(), b"12000111"):
        assert secret not in write.payload
    with portal_app.app_context():
        assert outbox.submission(reference="REG-2026-004217").state == "waiting"
        assert [s.record_id for s in outbox.not_yet_delivered("person:waiting")] == [content["id"]]
    # The person is told it was received, with the reference, all the same.
    assert RECEIVED_KM in provider.received[0]["text"]
    ready = portal_app.test_client().get("/readyz").get_json()
    assert ready["outbox"]["waiting"] == 1 and ready["outbox"]["oldest_waiting_seconds"] >= 0


def test_the_worker_waits_between_attempts_then_delivers_and_says_so(
    portal_app, switchable, provider
):
    registry, _ = switchable
    registry.down = True
    submitted = register(portal_app)

    assert work(portal_app) == 0  # not due yet: the first pause has not passed
    registry.down = False
    with later(2):
        assert work(portal_app) >= 1

    write = items(portal_app)[0]
    assert (write.state, write.payload) == ("delivered", None)
    delivered = [m["text"] for m in provider.received if DELIVERED_KM in m["text"]]
    assert delivered == [m for m in delivered if readable_reference(submitted.reference) in m]
    assert len(delivered) == 1
    with later(6):
        assert work(portal_app) == 0  # nothing sent twice
    assert len(provider.received) == 2


def test_a_write_refused_later_is_parked_for_staff_with_the_reason(portal_app, switchable):
    registry, _ = switchable
    registry.down = True
    register(portal_app, person_content(address={"village_code": "99999999"}))
    registry.down = False

    with later(2):
        work(portal_app)
        with later(60):
            assert work(portal_app) == 0  # parked: never tried again on its own

    write = items(portal_app)[0]
    assert write.state == "parked" and write.payload is not None
    assert "422" in write.last_error and "No village has this code" in write.last_error
    runner = portal_app.test_cli_runner()
    listed = runner.invoke(args=["outbox", "parked"])
    assert f"#{write.id} update-or-create persons" in listed.output
    assert "No village has this code" in listed.output
    assert "parked (for staff): 1" in runner.invoke(args=["outbox", "status"]).output
    retried = runner.invoke(args=["outbox", "retry", str(write.id)])
    assert retried.exit_code == 0 and items(portal_app)[0].state == "waiting"
    assert runner.invoke(args=["outbox", "retry", "999"]).exit_code != 0


def test_an_sms_provider_outage_delays_messages_and_loses_none(portal_app, provider):
    provider.refusing = True
    register(portal_app)
    with portal_app.app_context():
        sent = outbox.send_text("status:REG-1:approved", PHONE, "approved", actor=CITIZEN)
        again = outbox.send_text("status:REG-1:approved", PHONE, "approved", actor=CITIZEN)
    assert (sent, again) == (False, False)
    provider.refusing = False

    with later(2):
        assert work(portal_app) == 2

    assert sorted(m["text"] == "approved" for m in provider.received) == [False, True]
    # Each event has its own key, the same on every attempt, for providers that dedupe.
    assert len(set(provider.keys)) == 2 and all(len(key) == 64 for key in provider.keys)


def test_a_message_that_would_arrive_too_late_is_not_sent(portal_app, provider):
    provider.refusing = True
    with portal_app.app_context():
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        outbox.send_text("code:1", PHONE, "code 123456", actor=CITIZEN, expires_at=expires)
    provider.refusing = False

    with later(3):
        work(portal_app)

    assert provider.received == [] and items(portal_app)[0].state == "expired"
    assert items(portal_app)[0].payload is None


def test_messages_never_go_faster_than_the_providers_rate(portal_app, provider):
    portal_app.extensions["sms_rate"] = SendingRate("2/minute", "memory://")
    with portal_app.app_context():
        sent = [
            outbox.send_text(f"event:{n}", PHONE, f"message {n}", actor=CITIZEN) for n in range(3)
        ]
    assert sent == [True, True, False]
    with later(0.2):
        assert work(portal_app) == 1
    assert len(provider.received) == 2
    third = items(portal_app)[2]
    assert third.state == "waiting" and third.attempts == 0  # held back: not a failed attempt
    with later(2):
        work(portal_app)
    assert len(provider.received) == 3


def test_pauses_between_attempts_double_up_to_a_cap_and_are_spread():
    assert FIRST_PAUSE / 2 <= pause_after(1) <= FIRST_PAUSE
    assert 2 * FIRST_PAUSE <= pause_after(3) <= 4 * FIRST_PAUSE
    assert all(LONGEST_PAUSE / 2 <= pause_after(40) <= LONGEST_PAUSE for _ in range(50))
    assert len({pause_after(5) for _ in range(20)}) > 1


@pytest.mark.timed
def test_a_hung_sms_provider_never_holds_a_page(tmp_path, portal_database):
    from portal.warm_up import warm_up
    from tests.conftest import checked_app
    from tests.support.hanging_server import hanging_server

    with hanging_server() as provider_url:
        app = checked_app(
            tmp_path,
            DATABASE_URL=portal_database,
            SMS_GATEWAY="http",
            SMS_URL=provider_url + "/send",
            # The page's time limit; the provider's own timeout is 10 s.
            REGISTRY_DEADLINE=2,
        )
        warm_up(app)  # as gunicorn does before a worker's first request
        started = time.monotonic()
        submitted = register(app)
        elapsed = time.monotonic() - started

    assert submitted.state == "delivered"  # the registry answered
    assert elapsed < 4, "the page waited for the SMS provider"
    receipt = items(app)[1]
    assert (receipt.kind, receipt.state) == ("sms", "waiting")  # the worker sends it later


def test_a_worker_told_to_stop_hands_back_what_it_has_not_started(portal_app, provider):
    provider.refusing = True
    with portal_app.app_context():
        for number in range(3):
            outbox.send_text(f"event:{number}", PHONE, f"message {number}", actor=CITIZEN)
    provider.refusing = False
    worker = Worker(portal_app, lease=30)
    worker.stopping.set()

    with later(2):
        assert worker.work_once() == 0
        assert [(item.state, item.attempts, item.claimed_by) for item in items(portal_app)] == [
            ("waiting", 1, None)
        ] * 3
        assert Worker(portal_app, lease=30).work_once() == 3
    assert len(provider.received) == 3
