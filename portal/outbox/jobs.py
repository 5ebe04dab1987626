"""Periodic jobs, run by the outbox workers on a schedule kept in the database.

Each job has a row in `scheduled_jobs`. A worker runs a job only after it has
moved the row's `next_run_at` on by one compare-and-set UPDATE; with several
workers exactly one of them wins each turn. A feature adds its job with
`register_job(app, name, every, run)`; `run()` returns a short outcome line
(no personal data) kept with the schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.database import db
from portal.outbox.models import ScheduledJob
from portal.outbox.store import aware

logger = logging.getLogger("portal.outbox.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    run: Callable[[], str]


def register_job(app: Flask, name: str, every: dt.timedelta, run: Callable[[], str]) -> None:
    app.extensions.setdefault("outbox_jobs", {})[name] = Job(name, every, run)


def jobs(app: Flask) -> list[Job]:
    return list(app.extensions.get("outbox_jobs", {}).values())


def _ensure_scheduled(job: Job, now: dt.datetime) -> None:
    """A new job's first turn is now."""
    with db.session() as session:
        if session.get(ScheduledJob, job.name) is not None:
            return
        session.add(ScheduledJob(name=job.name, next_run_at=now))
        try:
            session.commit()
        except IntegrityError:  # another worker added it first
            session.rollback()


def _take_turn(job: Job, now: dt.datetime) -> bool:
    with db.session() as session:
        taken = session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.name == job.name, ScheduledJob.next_run_at <= now)
            .values(next_run_at=now + job.every, last_started_at=now)
        )
        session.commit()
        return taken.rowcount == 1


def _record(job: Job, outcome: str, now: dt.datetime) -> None:
    with db.session() as session:
        session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.name == job.name)
            .values(last_finished_at=now, last_outcome=outcome[:300])
        )
        session.commit()


def _due(now: dt.datetime) -> dict[str, bool]:
    with db.session() as session:
        rows = session.execute(select(ScheduledJob.name, ScheduledJob.next_run_at)).all()
    return {name: aware(next_run_at) <= now for name, next_run_at in rows}


def run_due_jobs(app: Flask, now: dt.datetime) -> list[str]:
    """Run the jobs whose turn has come (and that no other worker took); their names."""
    ran = []
    due = _due(now)  # read first: most passes find nothing due and write nothing
    for job in jobs(app):
        if job.name not in due:
            _ensure_scheduled(job, now)
        elif not due[job.name]:
            continue
        if not _take_turn(job, now):
            continue
        try:
            outcome = job.run()
        except Exception as error:  # one failing job must not stop the worker
            logger.exception("job %s failed", job.name)
            outcome = f"failed: {type(error).__name__}"
        _record(job, outcome, dt.datetime.now(dt.UTC))
        logger.info("job %s: %s", job.name, outcome)
        ran.append(job.name)
    return ran


def schedule() -> list[ScheduledJob]:
    with db.session() as session:
        return list(session.scalars(select(ScheduledJob).order_by(ScheduledJob.name)))
