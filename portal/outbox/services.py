"""The outbox's operations for the rest of the portal.

`submit()` is how every citizen submission reaches the registry: the write is
stored first (sealed), then delivered at once when the registry answers; when
it does not, the person is told it is received and waiting, with the same
reference, and the worker delivers it later. `send_text()` queues a text
message the same way. Both are idempotent by key: repeating one (a double
tap, a resent form) finds what was stored the first time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.database import db
from portal.notifications import messages
from portal.outbox import store
from portal.outbox.delivery import (
    OPERATIONS,
    RESOURCES,
    Delivered,
    Outcome,
    Refused,
    TryLater,
    deliver,
    retry_time,
)
from portal.outbox.models import (
    DELIVERED,
    PARKED,
    REGISTRY,
    TEXT_MESSAGE,
    WAITING,
    OutboxItem,
)
from portal.outbox.payloads import UnreadablePayload, seal, unseal
from portal.registry.client import Actor

logger = logging.getLogger("portal.outbox")

REQUEST_LEASE = 60.0  # seconds a request keeps what it stored, to deliver it itself
MAX_ATTEMPTS = 200  # about four days of retries at the longest pause: then staff look
LANGUAGES = ("km", "en")


@dataclass(frozen=True)
class Recipient:
    """Who gets the text messages about a submission, in their language."""

    phone: str  # E.164
    language: str = "km"
    # A registration: the texts give the person's new SPID once the registry has
    # issued it ("registered") and, while it waits, say that the SPID will follow.
    announce_spid: bool = False
    # The text to send once the write is in the registry, now or later (e.g. an
    # application's new state), instead of "now recorded in the registry".
    on_delivery: str | None = None

    @property
    def waits_for_delivery(self) -> bool:
        """Whether the first text depends on what the delivery attempt gives."""
        return self.announce_spid or self.on_delivery is not None

    @classmethod
    def of_person(cls, person: dict) -> Recipient | None:
        """The person's first phone and the language they chose (Khmer if none)."""
        phones = person.get("phone_number") or []
        if not phones:
            return None
        language = person.get("preferred_language")
        return cls(phones[0], language if language in LANGUAGES else "km")


@dataclass(frozen=True)
class Submission:
    """A registry write as the person who sent it should see it."""

    key: str
    reference: str | None
    record_type: str
    record_id: str
    state: str  # delivered, waiting or parked
    received_at: dt.datetime
    record: dict | None = None  # the registry's answer, when delivered just now

    @property
    def delivered(self) -> bool:
        return self.state == DELIVERED

    @classmethod
    def of(cls, item: OutboxItem, record: dict | None = None) -> Submission:
        return cls(
            key=item.key,
            reference=item.reference,
            record_type=item.record_type or "",
            record_id=item.record_id or "",
            state=item.state,
            received_at=store.aware(item.created_at),
            record=record,
        )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _item(key: str, kind: str, payload: dict, actor: Actor, now: dt.datetime, **fields):
    return OutboxItem(
        key=key,
        kind=kind,
        payload=seal(payload),
        actor=actor.actor,
        on_behalf_of=actor.on_behalf_of,
        channel=actor.channel,
        purpose=actor.purpose,
        state=WAITING,
        created_at=now,
        **{"next_attempt_at": now, "attempts": 0, **fields},
    )


def text_message_item(
    key: str,
    to: str,
    text: str,
    actor: Actor,
    now: dt.datetime,
    *,
    owner: str | None = None,
    reference: str | None = None,
    expires_at: dt.datetime | None = None,
) -> OutboxItem:
    """A text message for the outbox (not yet stored)."""
    return _item(
        key,
        TEXT_MESSAGE,
        {"to": to, "text": text},
        actor,
        now,
        operation="send",
        owner=owner,
        reference=reference,
        expires_at=expires_at,
    )


def submit(
    record_type: str,
    content: dict,
    *,
    actor: Actor,
    reference: str | None = None,
    owner: str | None = None,
    receipt: Recipient | None = None,
    key: str | None = None,
    operation: str = "update-or-create",
    record_id: str | None = None,
    status_change: dict | None = None,
    event: dict | None = None,
) -> Submission:
    """Store a registry write, then deliver it now if the registry answers.

    `content` carries the record's client-generated `id` (update-or-create),
    or the fields to set on `record_id` (update). With `receipt`, the person
    gets a text message now ("received", with `reference`) and another when a
    delayed write reaches the registry. An update may carry a `status_change`
    (`{reason, note}`, recorded with the new status) and an `event` (`{kind,
    text}`, a history entry of its own). Raises the registry's refusal
    (RegistryValidationError, RegistryConflict, ...) when it refuses at once:
    nothing is kept then, and the form can say what to correct.
    """
    if record_type not in RESOURCES or operation not in OPERATIONS:
        raise ValueError(f"cannot {operation} {record_type} through the outbox")
    record_id = record_id or content.get("id")
    if not record_id:
        raise ValueError("a registry write through the outbox needs the record's id")
    now = utcnow()
    key = key or f"{record_type}/{record_id}/{uuid.uuid4().hex}"
    claim = store.new_claim()
    # Claimed by this request, which attempts it at once: the worker leaves it alone.
    leased = {
        "claimed_by": claim,
        "next_attempt_at": now + dt.timedelta(seconds=REQUEST_LEASE),
        "attempts": 1,
    }
    payload: dict = {"content": content}
    if (status_change or event) and operation != "update":
        raise ValueError("only an update carries a status change or an event")
    if status_change:
        payload["status_change"] = status_change
    if event:
        payload["event"] = event
    if receipt is not None:
        payload["receipt"] = {
            "phone": receipt.phone,
            "language": receipt.language,
            "announce_spid": receipt.announce_spid,
            "on_delivery": receipt.on_delivery,
        }
    write = _item(
        key,
        REGISTRY,
        payload,
        actor,
        now,
        record_type=record_type,
        record_id=record_id,
        operation=operation,
        reference=reference,
        owner=owner,
        **leased,
    )
    items = [write]
    if receipt is not None and reference and not receipt.waits_for_delivery:
        text = messages.submission_received(reference, receipt.language)
        note = text_message_item(f"{key}:received", receipt.phone, text, actor, now, owner=owner)
        note.claimed_by, note.next_attempt_at, note.attempts = claim, leased["next_attempt_at"], 1
        items.append(note)
    with db.session() as session:
        if store.add(session, items) is None:
            existing = store.by_key(session, key)
            if existing is None:  # the key was taken and is gone again: a bug, not a repeat
                raise RuntimeError("outbox key conflict without an item")
            return Submission.of(existing)
        outcome = deliver(write)
        if isinstance(outcome, Refused) and outcome.error is not None:
            store.forget(session, items)
            raise outcome.error
        settle(session, write, outcome, utcnow(), by_worker=False)
        if receipt is not None and reference and receipt.waits_for_delivery:
            items.extend(_first_note(session, write, outcome, receipt, reference, actor))
        for note in items[1:]:
            settle(session, note, deliver(note), utcnow(), by_worker=False)
        session.refresh(write)
        record = outcome.record if isinstance(outcome, Delivered) else None
        return Submission.of(write, record)


def _first_note(
    session: Session,
    write: OutboxItem,
    outcome: Outcome,
    receipt: Recipient,
    reference: str,
    actor: Actor,
) -> list[OutboxItem]:
    """The text for a write just attempted whose words depend on the attempt.
    A registration: the SPID when the registry issued it now, else that it is
    received and the SPID will follow. Otherwise: the `on_delivery` text when
    the registry took it now, else that it is received."""
    delivered = isinstance(outcome, Delivered)
    if receipt.announce_spid:
        if delivered and outcome.record and outcome.record.get("spid"):
            text = messages.registered(outcome.record["spid"], receipt.language)
        else:
            text = messages.registration_received(reference, receipt.language)
    elif delivered and receipt.on_delivery:
        text = receipt.on_delivery
    else:
        text = messages.submission_received(reference, receipt.language)
    now = utcnow()
    note = text_message_item(f"{write.key}:received", receipt.phone, text, actor, now)
    note.owner = write.owner
    note.claimed_by, note.attempts = store.new_claim(), 1
    note.next_attempt_at = now + dt.timedelta(seconds=REQUEST_LEASE)
    return store.add(session, [note]) or []


def send_text(
    key: str,
    to: str,
    text: str,
    *,
    actor: Actor,
    owner: str | None = None,
    reference: str | None = None,
    expires_at: dt.datetime | None = None,
) -> bool:
    """Queue one text message for the event `key` and try to send it now.

    True when the provider took it now; False when it waits for the worker (or
    was queued for this event before: one message per event)."""
    now = utcnow()
    item = text_message_item(
        key, to, text, actor, now, owner=owner, reference=reference, expires_at=expires_at
    )
    item.claimed_by = store.new_claim()
    item.next_attempt_at = now + dt.timedelta(seconds=REQUEST_LEASE)
    item.attempts = 1
    with db.session() as session:
        if store.add(session, [item]) is None:
            return False
        outcome = deliver(item)
        settle(session, item, outcome, utcnow(), by_worker=False)
        return isinstance(outcome, Delivered)


def settle(
    session: Session, item: OutboxItem, outcome: Outcome, now: dt.datetime, *, by_worker: bool
) -> None:
    """Record what one delivery attempt came to."""
    if isinstance(outcome, Delivered):
        follow_ups = _delivered_late_messages(item, now, outcome.record) if by_worker else []
        store.mark_delivered(session, item, now, follow_ups)
        logger.info(
            "outbox item %d (%s %s) delivered, attempt %d",
            item.id,
            item.kind,
            item.record_type or "message",
            item.attempts,
        )
    elif isinstance(outcome, TryLater):
        if outcome.not_an_attempt:
            store.release(session, item, now + dt.timedelta(seconds=1))
            return
        attempts = item.attempts
        if attempts >= MAX_ATTEMPTS:
            reason = f"not delivered after {attempts} attempts: {outcome.reason}"
            store.mark_parked(session, item, reason, now)
            logger.error("outbox item %d parked after %d attempts", item.id, attempts)
            return
        store.mark_failed(session, item, outcome.reason, retry_time(now, attempts))
        logger.warning("outbox item %d not delivered (attempt %d)", item.id, attempts)
    else:
        store.mark_parked(session, item, outcome.reason, now)
        logger.error("outbox item %d parked: the registry refused it", item.id)


def _delivered_late_messages(
    item: OutboxItem, now: dt.datetime, record: dict | None
) -> list[OutboxItem]:
    """The "now in the registry" message, for a write the person saw waiting
    (for a registration: their new SPID)."""
    if item.kind != REGISTRY or not item.reference:
        return []
    try:
        receipt = unseal(item.payload).get("receipt")
    except UnreadablePayload:
        return []
    if not receipt:
        return []
    if receipt.get("announce_spid") and record and record.get("spid"):
        text = messages.registered(record["spid"], receipt["language"])
    elif receipt.get("on_delivery"):
        text = receipt["on_delivery"]
    else:
        text = messages.submission_delivered(item.reference, receipt["language"])
    actor = Actor(
        actor=item.actor,
        purpose=item.purpose,
        on_behalf_of=item.on_behalf_of,
        channel=item.channel,
    )
    return [
        text_message_item(
            f"{item.key}:delivered", receipt["phone"], text, actor, now, owner=item.owner
        )
    ]


def submission(
    *, key: str | None = None, reference: str | None = None, record_id: str | None = None
) -> Submission | None:
    """The latest registry write with this key, reference or record id."""
    query = select(OutboxItem).where(OutboxItem.kind == REGISTRY)
    if key is not None:
        query = query.where(OutboxItem.key == key)
    if reference is not None:
        query = query.where(OutboxItem.reference == reference)
    if record_id is not None:
        query = query.where(OutboxItem.record_id == record_id)
    with db.session() as session:
        item = session.scalar(query.order_by(OutboxItem.id.desc()).limit(1))
        return Submission.of(item) if item is not None else None


def not_yet_delivered(owner: str) -> list[Submission]:
    """The owner's writes that are waiting or parked, oldest first: what a page
    shows beside the records the registry already has."""
    return _registry_writes_of(owner, OutboxItem.state.in_((WAITING, PARKED)), order=OutboxItem.id)


def _registry_writes_of(owner: str, *conditions, order, limit: int | None = None):
    query = (
        select(OutboxItem)
        .where(OutboxItem.owner == owner, OutboxItem.kind == REGISTRY, *conditions)
        .order_by(order)
        .limit(limit)
    )
    with db.session() as session:
        return [Submission.of(item) for item in session.scalars(query)]


def status(*, finished: bool = False) -> store.OutboxStatus:
    with db.session() as session:
        return store.status(session, utcnow(), finished=finished)


def submissions_of(owner: str, record_type: str) -> list[Submission]:
    """The owner's registry writes of one record type in any state, newest
    first (kept for 30 days after delivery): how a page finds what a person
    sent before the registry links them to it."""
    return _registry_writes_of(
        owner, OutboxItem.record_type == record_type, order=OutboxItem.id.desc(), limit=20
    )
