"""What the store needs to know about a record type; each type subclasses RecordKind."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.registry.server.audit import Actor, history_of
from portal.registry.server.errors import ApiError, field_error
from portal.registry.server.models import Person, RecordColumns

Filter = Callable[[str], ColumnElement[bool]]
# A list order: the terms to sort by, first to last (the id breaks ties).
Ordering = tuple[Any, ...]
CONTENT = "write.content"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC; SQLite hands datetimes back without their zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class RecordKind(ABC):
    """A record type of the data API (``/data/<name>/1.0``)."""

    name: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[type[RecordColumns]]
    status_field: ClassVar[str] = "status"
    initial_status: ClassVar[str]
    transitions: ClassVar[dict[str, tuple[str, ...]]]
    update_scopes: ClassVar[tuple[str, ...]] = ("registry.write",)
    # Columns holding the SPIDs of the people a record is about (for the access log).
    subject_spid_columns: ClassVar[tuple[str, ...]] = ()
    read_keys: ClassVar[tuple[str, ...]] = ("id",)

    @abstractmethod
    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        """Check and normalise a full document; return it and its indexed columns."""

    def filters(self) -> dict[str, Filter]:
        """List filters: query parameter → condition on the value."""
        return {}

    def orderings(self) -> dict[str, Ordering]:
        """List orders by name (``ordering`` query parameter): by creation or
        last change, oldest or newest first."""
        return {
            "created_at": (self.model.created_at,),
            "-created_at": (self.model.created_at.desc(),),
            "updated_at": (self.model.updated_at,),
            "-updated_at": (self.model.updated_at.desc(),),
        }

    def subject_ids(self, session: Session, rows: list[Any]) -> list[str]:
        """Ids of the persons whose data these records carry: their access logs get an entry."""
        spids = {
            getattr(row, column)
            for row in rows
            for column in self.subject_spid_columns
            if getattr(row, column)
        }
        return subject_ids_of(session, spids)

    def find_by(self, session: Session, key: str, value: str) -> Any | None:
        if key == "id":
            return session.get(self.model, value)
        column = getattr(self.model, key)
        return session.scalar(select(self.model).where(column == value))

    def before_insert(self, session: Session, row: Any) -> None:
        """Fill values the registry generates (SPID, reference) before each insert attempt."""
        return None  # most record types generate nothing

    def after_write(
        self, session: Session, row: Any, previous_data: dict | None, actor: Actor
    ) -> None:
        """Keep side tables in step with the document (phones, members, history)."""
        return None  # most record types have no side tables

    def conflict(self, session: Session, row: Any) -> ApiError | None:
        """Explain a failed insert, or None when a generated value collided (retry)."""
        if session.get(self.model, row.id) is not None:
            return ApiError(
                409, "err.id.duplicate", f"A {self.label} with this id exists.", existing_id=row.id
            )
        return None

    def present(self, session: Session, row: Any) -> dict:
        """The record as the API returns it."""
        return {**row.data, **meta(row)}

    def present_many(self, session: Session, rows: list[Any]) -> list[dict]:
        return [self.present(session, row) for row in rows]


class WorkflowKind(RecordKind):
    """A record with a status history (applications, grievances, consents, change requests)."""

    def present(self, session: Session, row: Any) -> dict:
        entries = [present_history(entry) for entry in history_of(session, self.name, row.id)]
        return {
            **row.data,
            **meta(row),
            "history": [e for e in entries if e["kind"] == "status_change"],
        }


def meta(row: RecordColumns) -> dict:
    return {
        "id": row.id,
        "version": row.version,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "created_by": row.created_by,
        "updated_by": row.updated_by,
    }


def present_history(entry) -> dict:
    return {
        "kind": entry.kind,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "actor": entry.actor,
        "on_behalf_of": entry.on_behalf_of,
        "at": iso(entry.at),
        "reason": entry.reason,
        "note": entry.note,
        "channel": entry.channel,
    }


def subject_ids_of(session: Session, spids: set[str]) -> list[str]:
    if not spids:
        return []
    return list(session.scalars(select(Person.id).where(Person.spid.in_(spids))))


def require_person(session: Session, spid: str, field: str) -> Person:
    """The active person with this SPID, or 422 on ``field``."""
    person = session.scalar(select(Person).where(Person.spid == spid))
    if person is None or person.status != "active":
        raise field_error(field, "No active person has this SPID.")
    return person
