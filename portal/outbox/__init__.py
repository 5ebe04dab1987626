"""The outbox: registry writes and text messages kept in the portal's own
database until they are delivered, and the worker that delivers them and runs
the periodic jobs.

Why not a task-queue library: Celery, RQ, Dramatiq and Huey need a broker
(Redis or RabbitMQ) between the submission and its delivery, so a write the
person was told is received could still be lost with the broker; Procrastinate
and PgQueuer are PostgreSQL only, and the embedded default runs on SQLite;
APScheduler 4, which would keep a schedule in SQLAlchemy, is still a
pre-release. None seals payloads or parks what the registry refuses. The
outbox is one table, written in the same database as the rest of the portal's
state, with a claim that is safe on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask

from portal.outbox.jobs import register_job
from portal.outbox.services import (
    Recipient,
    Submission,
    not_yet_delivered,
    send_text,
    status,
    submission,
    submissions_of,
    submit,
)

KEEP_FINISHED = dt.timedelta(days=30)  # ids and times of delivered items, then they go

__all__ = [
    "Recipient",
    "Submission",
    "not_yet_delivered",
    "register_job",
    "send_text",
    "setup_outbox",
    "status",
    "submission",
    "submissions_of",
    "submit",
]


def setup_outbox(app: Flask) -> None:
    """The housekeeping jobs; the outbox's figures on /readyz."""
    from portal.accounts import phone_codes
    from portal.database import db
    from portal.outbox import store

    def forget_finished_items() -> str:
        with db.session() as session:
            removed = store.remove_finished_before(session, store.utcnow() - KEEP_FINISHED)
        return f"{removed} finished items removed"

    def forget_expired_codes() -> str:
        removed = phone_codes.remove_expired(db, store.utcnow() - dt.timedelta(days=1))
        return f"{removed} expired sign-in codes removed"

    register_job(app, "outbox-retention", dt.timedelta(hours=1), forget_finished_items)
    register_job(app, "expired-sign-in-codes", dt.timedelta(hours=1), forget_expired_codes)
    app.extensions["readiness_figures"]["outbox"] = lambda: status().as_dict()
