"""The outbox's tables: writes and text messages waiting to be delivered, and
the schedule of periodic jobs. Both live in the portal's own database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base

WAITING = "waiting"
DELIVERED = "delivered"
PARKED = "parked"  # refused for good: waits for staff, never retried on its own
EXPIRED = "expired"  # a text message that would arrive too late to help
STATES = (WAITING, DELIVERED, PARKED, EXPIRED)

REGISTRY = "registry"
TEXT_MESSAGE = "sms"


class OutboxItem(Base):
    """One registry write or text message, from the moment a person is told it
    was received until it is delivered (then its payload is deleted and only
    the ids and times stay, for a while)."""

    __tablename__ = "outbox_items"
    __table_args__ = (Index("ix_outbox_items_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Repeating a submission (a double tap, a resent form) finds the same item.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # REGISTRY or TEXT_MESSAGE
    record_type: Mapped[str | None] = mapped_column(String(40))  # persons, grievances, ...
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)  # client-generated
    operation: Mapped[str] = mapped_column(String(32))  # update-or-create, update, send
    reference: Mapped[str | None] = mapped_column(String(40), index=True)  # shown to people
    owner: Mapped[str | None] = mapped_column(String(80), index=True)  # whose submission
    actor: Mapped[str] = mapped_column(String(120))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str | None] = mapped_column(String(16))  # X-Channel, when one was given
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed; None once delivered
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class ScheduledJob(Base):
    """When a periodic job runs next; the worker that moves `next_run_at` on
    first runs it, so several workers never run it twice."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_outcome: Mapped[str | None] = mapped_column(String(300))
