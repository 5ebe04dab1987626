"""The outbox table's operations: add, claim, finish, count. No network here.

Claiming is one UPDATE … RETURNING over a sub-select of due items. On
PostgreSQL the sub-select takes row locks with SKIP LOCKED, so workers
claiming at the same moment take different items without waiting for each
other; SQLite runs one writer at a time, which gives the same guarantee. A
claim is a lease: an item whose worker died becomes due again when its lease
runs out, and is delivered by another (deliveries are idempotent).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.outbox.models import DELIVERED, EXPIRED, PARKED, WAITING, OutboxItem


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC times; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def new_claim() -> str:
    return secrets.token_hex(16)


def add(session: Session, items: list[OutboxItem]) -> list[OutboxItem] | None:
    """Insert `items` in one transaction; None when one of their keys is taken."""
    session.add_all(items)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return items


def by_key(session: Session, key: str) -> OutboxItem | None:
    return session.scalar(select(OutboxItem).where(OutboxItem.key == key))


def claim_due(session: Session, now: dt.datetime, limit: int, lease: float) -> list[OutboxItem]:
    """Claim up to `limit` due items for `lease` seconds; each claim counts an attempt."""
    claim = new_claim()
    is_due = (OutboxItem.state == WAITING, OutboxItem.next_attempt_at <= now)
    if session.scalar(select(OutboxItem.id).where(*is_due).limit(1)) is None:
        session.rollback()
        return []  # the usual case: read, without taking the write lock
    due = (
        select(OutboxItem.id)
        .where(*is_due)
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = session.scalars(
        update(OutboxItem)
        .where(OutboxItem.id.in_(due.scalar_subquery()), *is_due)
        .values(
            claimed_by=claim,
            next_attempt_at=now + dt.timedelta(seconds=lease),
            attempts=OutboxItem.attempts + 1,
        )
        .returning(OutboxItem.id)
    ).all()
    session.commit()
    if not claimed:
        return []
    items = session.scalars(
        select(OutboxItem).where(OutboxItem.id.in_(claimed)).order_by(OutboxItem.id)
    ).all()
    return [item for item in items if item.claimed_by == claim]


def renew(session: Session, item: OutboxItem, now: dt.datetime, lease: float) -> bool:
    """Extend the claim on `item` before delivering it; False if it was lost."""
    result = session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.id == item.id,
            OutboxItem.claimed_by == item.claimed_by,
            OutboxItem.state == WAITING,
        )
        .values(next_attempt_at=now + dt.timedelta(seconds=lease))
    )
    session.commit()
    return result.rowcount == 1


def _finish(session: Session, item: OutboxItem, **values) -> bool:
    """Update `item` if this claim still holds it; False if another took it over."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item.id, OutboxItem.claimed_by == item.claimed_by)
        .values(claimed_by=None, **values)
    )
    return result.rowcount == 1


def mark_delivered(
    session: Session, item: OutboxItem, now: dt.datetime, follow_ups: list[OutboxItem]
) -> None:
    """Delivered: the payload is deleted; follow-up messages are queued in the same commit."""
    if _finish(session, item, state=DELIVERED, payload=None, finished_at=now, last_error=None):
        for follow_up in follow_ups:
            # A follow-up already queued (an earlier delivery died before it
            # could record itself) stays as it is: one message per event.
            if by_key(session, follow_up.key) is None:
                session.add(follow_up)
    session.commit()


def mark_failed(session: Session, item: OutboxItem, error: str, retry_at: dt.datetime) -> None:
    """Not delivered this time: due again at `retry_at`."""
    _finish(session, item, next_attempt_at=retry_at, last_error=error[:300])
    session.commit()


def release(session: Session, item: OutboxItem, retry_at: dt.datetime) -> None:
    """Not attempted after all (the provider's rate): due again, the attempt not counted."""
    _finish(session, item, next_attempt_at=retry_at, attempts=OutboxItem.attempts - 1)
    session.commit()


def mark_parked(session: Session, item: OutboxItem, reason: str, now: dt.datetime) -> None:
    """Refused for good: kept (payload and all) for staff, with the reason."""
    _finish(session, item, state=PARKED, last_error=reason[:300], finished_at=now)
    session.commit()


def mark_expired(session: Session, item: OutboxItem, now: dt.datetime) -> None:
    _finish(session, item, state=EXPIRED, payload=None, finished_at=now, last_error="expired")
    session.commit()


def forget(session: Session, items: list[OutboxItem]) -> None:
    """Remove items the person was never told about (the registry refused the
    submission at once, and the form shows why)."""
    session.execute(delete(OutboxItem).where(OutboxItem.id.in_([item.id for item in items])))
    session.commit()


def retry_parked(session: Session, item_id: int, now: dt.datetime) -> bool:
    """Staff send a parked item again (after the cause was fixed)."""
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id, OutboxItem.state == PARKED)
        .values(state=WAITING, next_attempt_at=now, finished_at=None, claimed_by=None)
    )
    session.commit()
    return result.rowcount == 1


def parked(session: Session, limit: int = 100) -> list[OutboxItem]:
    return list(
        session.scalars(
            select(OutboxItem)
            .where(OutboxItem.state == PARKED)
            .order_by(OutboxItem.finished_at)
            .limit(limit)
        )
    )


def remove_finished_before(session: Session, moment: dt.datetime) -> int:
    """Delivered and expired items finished before `moment` (their ids and times) go."""
    result = session.execute(
        delete(OutboxItem).where(
            OutboxItem.state.in_((DELIVERED, EXPIRED)), OutboxItem.finished_at < moment
        )
    )
    session.commit()
    return result.rowcount


@dataclass(frozen=True)
class OutboxStatus:
    """How much waits, how long the oldest has waited, how much is parked
    (and, when asked for, how much was delivered or expired)."""

    waiting: int
    oldest_waiting_seconds: float | None
    parked: int
    delivered: int | None = None
    expired: int | None = None

    def as_dict(self) -> dict:
        figures = {
            "waiting": self.waiting,
            "oldest_waiting_seconds": self.oldest_waiting_seconds,
            "parked": self.parked,
        }
        if self.delivered is not None:
            figures.update(delivered=self.delivered, expired=self.expired)
        return figures


def status(session: Session, now: dt.datetime, *, finished: bool = False) -> OutboxStatus:
    """The figures; `finished` also counts delivered and expired items (a
    longer count: /readyz, asked every few seconds, leaves it out)."""
    states = (WAITING, PARKED, DELIVERED, EXPIRED) if finished else (WAITING, PARKED)
    counts = dict(
        session.execute(
            select(OutboxItem.state, func.count())
            .where(OutboxItem.state.in_(states))
            .group_by(OutboxItem.state)
        ).all()
    )
    oldest = session.scalar(
        select(func.min(OutboxItem.created_at)).where(OutboxItem.state == WAITING)
    )
    age = None
    if oldest is not None:
        age = round(max((now - aware(oldest)).total_seconds(), 0.0), 1)
    return OutboxStatus(
        waiting=counts.get(WAITING, 0),
        oldest_waiting_seconds=age,
        parked=counts.get(PARKED, 0),
        delivered=counts.get(DELIVERED, 0) if finished else None,
        expired=counts.get(EXPIRED, 0) if finished else None,
    )
