"""What some actors did (``GET /data/activity/1.0``): their history entries
(status changes, replies, notes) and access-log entries (reads and writes of
people's data), newest first, for a staff member's own record of their day.

Read straight from the two tables by their ``(actor, at)`` indexes: each gives
at most ``limit`` entries, the two are merged, and the newest ``limit`` kept.
Reading it is not logged: it tells what the actors did, not anyone's details.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.audit import current_actor
from portal.registry.server.auth import authorize
from portal.registry.server.errors import field_error
from portal.registry.server.kinds import iso
from portal.registry.server.list_filters import MAX_FILTER_VALUES
from portal.registry.server.models import AccessLogEntry, HistoryEntry, Person
from portal.registry.server.query_values import text_value, whole_number
from portal.registry.server.sessions import request_session

DEFAULT_LIMIT = 100
MAX_LIMIT = 200
MAX_ACTOR_LENGTH = 200


def _actors() -> list[str]:
    raw = request.args.get("actor")
    if not raw:
        raise field_error("actor", "Give one actor, or several separated by commas.")
    actors = text_value("actor", raw).split(",")
    if len(actors) > MAX_FILTER_VALUES or any(
        not actor or len(actor) > MAX_ACTOR_LENGTH for actor in actors
    ):
        raise field_error(
            "actor",
            f"Give up to {MAX_FILTER_VALUES} actors separated by commas, "
            f"none empty nor longer than {MAX_ACTOR_LENGTH} characters.",
        )
    return list(dict.fromkeys(actors))


def _since() -> datetime | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    problem = "since is a date and time with its zone, e.g. 2026-05-01T00:00:00+07:00."
    try:
        if len(raw) < 20 or raw[10] not in "Tt":
            raise ValueError(raw)
        moment = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(raw)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise field_error("since", problem) from None


Found = list[tuple[datetime, int, dict]]  # (moment, order on the same moment, entry)
_EMPTY = dict.fromkeys(
    (
        "record_type",
        "record_id",
        "kind",
        "from_status",
        "to_status",
        "action",
        "person_spid",
        "purpose",
    )
)


def _history(session: Session, actors: list[str], since, limit: int) -> Found:
    query = select(HistoryEntry).where(HistoryEntry.actor.in_(actors))
    if since is not None:
        query = query.where(HistoryEntry.at >= since)
    rows = session.scalars(
        query.order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc()).limit(limit)
    )
    return [
        (
            entry.at,
            1,
            {
                **_EMPTY,
                "at": iso(entry.at),
                "actor": entry.actor,
                "source": "history",
                "record_type": entry.record_type,
                "record_id": entry.record_id,
                "kind": entry.kind,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "on_behalf_of": entry.on_behalf_of,
                "channel": entry.channel,
            },
        )
        for entry in rows
    ]


def _access(session: Session, actors: list[str], since, limit: int) -> Found:
    query = (
        select(AccessLogEntry, Person.spid)
        .outerjoin(Person, Person.id == AccessLogEntry.person_id)
        .where(AccessLogEntry.actor.in_(actors))
    )
    if since is not None:
        query = query.where(AccessLogEntry.at >= since)
    rows = session.execute(
        query.order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()).limit(limit)
    )
    return [
        (
            entry.at,
            0,
            {
                **_EMPTY,
                "at": iso(entry.at),
                "actor": entry.actor,
                "source": "access_log",
                "action": entry.action,
                "person_spid": spid,
                "on_behalf_of": entry.on_behalf_of,
                "purpose": entry.purpose,
                "channel": entry.channel,
            },
        )
        for entry, spid in rows
    ]


def activity_of(session: Session, actors: list[str], since, limit: int) -> list[dict]:
    """The newest ``limit`` entries of these actors since ``since``, newest first
    (each list is newest first already; on the same moment, a status change
    before the write that made it)."""
    found = _history(session, actors, since, limit) + _access(session, actors, since, limit)
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [entry for _moment, _order, entry in found[:limit]]


def activity() -> Response:
    """``GET /data/activity/1.0?actor=a,b&since=<date-time>&limit=<1..200>``."""
    current_actor(authorize("registry.read"))
    since = _since()
    limit = whole_number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    actors = _actors()
    return jsonify({"entries": activity_of(request_session(), actors, since, limit)})
