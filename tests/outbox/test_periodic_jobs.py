"""Periodic jobs: a schedule in the database, each turn taken by one worker
only, a failing job reported without stopping the others; and the
housekeeping jobs that forget delivered items and expired sign-in codes."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import time_machine

from portal import outbox
from portal.outbox.jobs import register_job, run_due_jobs, schedule
from portal.outbox.worker import Worker
from tests.outbox.conftest import CITIZEN
from tests.outbox.test_outbox_delivery import items, later

PHONE = "+85512000111"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_several_workers_at_once_run_each_turn_of_a_job_once(portal_app):
    runs = []
    lock = threading.Lock()

    def count() -> str:
        with lock:
            runs.append(1)
        return "counted"

    register_job(portal_app, "count", dt.timedelta(minutes=10), count)
    workers = [Worker(portal_app, lease=30) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda worker: worker.work_once(), workers))
    assert len(runs) == 1

    with later(5):
        workers[0].work_once()
    assert len(runs) == 1  # its next turn is ten minutes on
    with later(11):
        list(ThreadPoolExecutor(6).map(lambda worker: worker.work_once(), workers))
    assert len(runs) == 2
    job = next(job for job in _in_context(portal_app, schedule) if job.name == "count")
    assert job.last_outcome == "counted"


def test_a_failing_job_is_recorded_and_the_others_still_run(portal_app):
    def broken() -> str:
        raise RuntimeError("boom")

    register_job(portal_app, "broken", dt.timedelta(hours=1), broken)
    with portal_app.app_context():
        ran = run_due_jobs(portal_app, now())
    assert "broken" in ran and "outbox-retention" in ran
    outcomes = {job.name: job.last_outcome for job in _in_context(portal_app, schedule)}
    assert outcomes["broken"] == "failed: RuntimeError"
    status = portal_app.test_cli_runner().invoke(args=["outbox", "status"]).output
    assert "job broken:" in status and "failed: RuntimeError" in status


def test_delivered_items_are_forgotten_after_thirty_days(portal_app):
    with portal_app.app_context():
        outbox.send_text("event:old", PHONE, "hello", actor=CITIZEN)
    Worker(portal_app, lease=30).work_once()
    assert len(items(portal_app)) == 1

    with time_machine.travel(now() + dt.timedelta(days=29), tick=True):
        Worker(portal_app, lease=30).work_once()
        assert len(items(portal_app)) == 1
    with time_machine.travel(now() + dt.timedelta(days=31), tick=True):
        Worker(portal_app, lease=30).work_once()
        assert items(portal_app) == []


def _in_context(app, function):
    with app.app_context():
        return function()


def test_sign_in_codes_are_forgotten_a_day_after_they_expire(portal_app):
    from portal.accounts import phone_codes
    from portal.accounts.models import OtpChallenge
    from portal.database import db

    def challenges() -> int:
        with portal_app.app_context(), db.session() as session:
            return session.query(OtpChallenge).count()

    with portal_app.app_context():
        phone_codes.issue_code(db, portal_app.config["SECRET_KEY"], PHONE, now())
    Worker(portal_app, lease=30).work_once()
    assert challenges() == 1
    with time_machine.travel(now() + dt.timedelta(days=2), tick=True):
        Worker(portal_app, lease=30).work_once()
    assert challenges() == 0
