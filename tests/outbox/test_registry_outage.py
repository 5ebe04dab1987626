"""Proof that nothing is lost: a real registry process stopped, failing, or a
worker killed mid-batch; 100 registrations each time, counted in the registry."""

from __future__ import annotations

import signal
from collections import Counter

from sqlalchemy import select

from portal import outbox
from portal.database import db
from portal.notifications.messages import readable_reference
from portal.outbox.models import OutboxItem
from tests.outbox.conftest import (
    CITIZEN,
    DELIVERED_KM,
    RECEIVED_KM,
    REFERENCE,
    outbox_status,
    registry_ids,
    stop,
    submit_many,
    wait_until,
)
from tests.support.faulty_proxy import faulty_proxy

COUNT = 100


def run_workers_until_empty(deployment, app, options: list[str], workers: int = 1) -> None:
    """Start worker processes, wait until nothing waits, stop them (SIGTERM)."""
    started = [deployment.start_worker(*options) for _ in range(workers)]
    try:
        wait_until(lambda: outbox_status(app).waiting == 0, 180, "the outbox empties")
    finally:
        for worker in started:
            stop(worker)


def references_in(texts: list[str], marker: str) -> Counter:
    return Counter(REFERENCE.search(text).group(0) for text in texts if marker in text)


def assert_all_in_registry_once(deployment, submissions) -> None:
    client = deployment.registry_client()
    try:
        ids = registry_ids(client)
    finally:
        client.close()
    assert len(ids) == COUNT, "lost or duplicated records"
    assert sorted(ids) == sorted(s.record_id for s in submissions)


def test_registrations_sent_while_the_registry_is_down_all_arrive_once(deployment):
    app = deployment.portal()
    deployment.registry.stop()

    submissions = submit_many(app, COUNT)

    assert {s.state for s in submissions} == {"waiting"}
    assert len({s.reference for s in submissions}) == COUNT
    status = outbox_status(app)
    assert status.waiting == COUNT and status.oldest_waiting_seconds is not None
    # Each person was told at once, in Khmer, with their reference.
    received = references_in(deployment.sms.texts(), RECEIVED_KM)
    assert len(received) == COUNT and set(received.values()) == {1}

    deployment.registry.start()
    run_workers_until_empty(deployment, app, ["--idle", "0.2"])

    assert_all_in_registry_once(deployment, submissions)
    status = outbox_status(app)
    assert (status.waiting, status.parked) == (0, 0)
    delivered = references_in(deployment.sms.texts(), DELIVERED_KM)
    assert sorted(delivered) == sorted(readable_reference(s.reference) for s in submissions)
    assert set(delivered.values()) == {1}, "one 'delivered' message each"


def test_a_registry_failing_every_other_call_loses_and_doubles_nothing(deployment):
    with faulty_proxy(deployment.registry.url, fail_every_other=True) as flaky:
        deployment.registry_url = flaky
        app = deployment.portal()
        submissions = submit_many(app, COUNT)
        waited = {s.reference for s in submissions if s.state == "waiting"}
        run_workers_until_empty(deployment, app, ["--idle", "0.2"])

    assert_all_in_registry_once(deployment, submissions)
    assert outbox_status(app).parked == 0
    delivered = references_in(deployment.sms.texts(), DELIVERED_KM)
    # A "now in the registry" message for each write that had to wait, and no other.
    assert sorted(delivered) == sorted(readable_reference(ref) for ref in waited)
    assert set(delivered.values()) <= {1}


def test_a_worker_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(deployment):
    app = deployment.portal()
    deployment.registry.stop()
    submissions = submit_many(app, COUNT)
    deployment.registry.start()

    with faulty_proxy(deployment.registry.url, delay=0.05) as slow:
        deployment.registry_url = slow
        first = deployment.start_worker("--batch", "20", "--lease", "20", "--idle", "0.2")
        wait_until(
            lambda: 20 <= outbox_status(app).delivered - COUNT <= 70,
            120,
            "the first worker delivers part of the outbox",
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        with app.app_context(), db.session() as session:
            held = session.scalars(
                select(OutboxItem.id).where(
                    OutboxItem.state == "waiting", OutboxItem.claimed_by.is_not(None)
                )
            ).all()
        assert held, "the worker was killed holding a batch"

        run_workers_until_empty(deployment, app, ["--idle", "0.2"])

    assert_all_in_registry_once(deployment, submissions)
    assert outbox_status(app).parked == 0


def test_several_workers_at_once_send_each_message_once(deployment):
    app = deployment.portal()
    deployment.sms.refusing = True
    with app.app_context():
        for number in range(COUNT):
            outbox.send_text(f"event:{number}", "+85512000111", f"message {number}", actor=CITIZEN)
    deployment.sms.refusing = False
    assert deployment.sms.texts() == []

    run_workers_until_empty(deployment, app, ["--batch", "5", "--idle", "0.1"], workers=3)

    sent = Counter(deployment.sms.texts())
    assert len(sent) == COUNT and set(sent.values()) == {1}
