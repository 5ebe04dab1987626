"""Who is acting, and the records of what they did.

``X-Actor``, ``X-On-Behalf-Of`` and ``X-Purpose`` are required on every read and
write of personal data; ``X-Channel`` (web, officer, sms, call_centre) may say how
the person was served, and is kept with each entry. Reads and writes of a person
go to the access log the citizen can see; status changes, replies and notes go
to a record's history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import request
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from portal.registry.server.auth import Caller
from portal.registry.server.errors import ApiError
from portal.registry.server.models import AccessLogEntry, HistoryEntry

_INSERT_ENTRY = insert(AccessLogEntry.__table__)
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")
_MAX_LENGTH = 200
CHANNELS = ("web", "officer", "sms", "call_centre")


@dataclass(frozen=True)
class Actor:
    """The person acting, whom they act for, why, and through which client."""

    actor: str
    on_behalf_of: str | None
    purpose: str
    client_id: str
    channel: str | None = None


def _channel() -> str | None:
    value = request.headers.get("X-Channel")
    if value is None or not value.strip():
        return None
    if value.strip() not in CHANNELS:
        raise ApiError(
            400, "err.actor.invalid", f"Header X-Channel is one of {', '.join(CHANNELS)}."
        )
    return value.strip()


def _header(name: str, required_value: bool) -> str:
    value = request.headers.get(name)
    if value is None:
        raise ApiError(400, "err.actor.missing", f"Header {name} is required.")
    value = value.strip()
    if len(value) > _MAX_LENGTH or not _PRINTABLE.match(value):
        raise ApiError(400, "err.actor.invalid", f"Header {name} must be printable ASCII.")
    if required_value and not value:
        raise ApiError(400, "err.actor.missing", f"Header {name} must not be empty.")
    return value


def current_actor(caller: Caller) -> Actor:
    """The actor of this request, from its headers (400 when missing)."""
    return Actor(
        actor=_header("X-Actor", required_value=True),
        on_behalf_of=_header("X-On-Behalf-Of", required_value=False) or None,
        purpose=_header("X-Purpose", required_value=True),
        client_id=caller.client_id,
        channel=_channel(),
    )


def header_actor(caller: Caller) -> Actor | None:
    """The actor the accountability headers name, or None when a DCI client
    sent none (``X-Actor`` absent)."""
    return current_actor(caller) if request.headers.get("X-Actor") is not None else None


def client_actor(client_id: str, accountability: dict | None = None) -> Actor:
    """A DCI client built from the official specification acts itself, for the
    purpose its ``consent`` or ``authorize`` object states (a ``purpose``
    text, else its first other printable text), else for "dci-exchange"."""
    return Actor(
        actor=f"client:{client_id}",
        on_behalf_of=None,
        purpose=_stated_purpose(accountability or {}),
        client_id=client_id,
        channel=None,
    )


def dci_actor(caller: Caller, accountability: dict | None = None) -> Actor:
    """Who acts in a DCI request: the headers' actor, else the client."""
    return header_actor(caller) or client_actor(caller.client_id, accountability)


def _stated_purpose(accountability: dict) -> str:
    for source in ("consent", "authorize"):
        stated = accountability.get(source)
        if not isinstance(stated, dict):
            continue
        texts = [stated.get("purpose"), *stated.values()]
        for value in texts:
            if isinstance(value, str) and value.strip() and _PRINTABLE.match(value.strip()):
                return value.strip()[:_MAX_LENGTH]
    return "dci-exchange"


def now() -> datetime:
    return datetime.now(UTC)


def log_access(session: Session, person_ids: Iterable[str], action: str, actor: Actor) -> None:
    """Add one access-log entry per person (committed with the caller's transaction).

    A plain INSERT on the session's connection rather than ORM objects: nothing
    reads the entries back in the same transaction, and the ORM's bulk insert
    cost more than the read itself."""
    at = now()
    rows = [
        {
            "person_id": person_id,
            "at": at,
            "action": action,
            "actor": actor.actor,
            "on_behalf_of": actor.on_behalf_of,
            "purpose": actor.purpose,
            "client_id": actor.client_id,
            "channel": actor.channel,
        }
        for person_id in dict.fromkeys(person_ids)
    ]
    if rows:
        session.connection().execute(_INSERT_ENTRY, rows)


def access_log_page(
    session: Session, person_id: str, page: int, page_size: int
) -> tuple[int, list[AccessLogEntry]]:
    """One page of a person's access log, newest first, and the total count."""
    count = session.scalar(
        select(func.count())
        .select_from(AccessLogEntry)
        .where(AccessLogEntry.person_id == person_id)
    )
    rows = session.scalars(
        select(AccessLogEntry)
        .where(AccessLogEntry.person_id == person_id)
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return count or 0, list(rows)


def add_history(
    session: Session,
    record_type: str,
    record_id: str,
    actor: Actor,
    *,
    kind: str,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    session.add(
        HistoryEntry(
            record_type=record_type,
            record_id=record_id,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor=actor.actor,
            on_behalf_of=actor.on_behalf_of,
            at=now(),
            reason=reason,
            note=note,
            channel=actor.channel,
        )
    )


def history_of(session: Session, record_type: str, record_id: str) -> list[HistoryEntry]:
    return list(
        session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.record_type == record_type, HistoryEntry.record_id == record_id)
            .order_by(HistoryEntry.id)
        )
    )
