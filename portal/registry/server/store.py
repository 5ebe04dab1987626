"""Create, read, update and list records of any kind, with versions and history.

Uniqueness (id, SPID, national ID, grievance reference, household membership)
is enforced by the database's unique constraints: an insert that breaks one is
rolled back and explained, never pre-checked and raced. Concurrent updates are
caught by the version column (optimistic locking) and answered with 412.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal.registry.server import registry_events
from portal.registry.server.audit import Actor, add_history, log_access, now
from portal.registry.server.errors import ApiError, field_error, not_found
from portal.registry.server.kinds import CONTENT, RecordKind
from portal.registry.server.models import HistoryEntry

_INSERT_ATTEMPTS = 5


def etag(row: Any) -> str:
    return f'"{row.version}"'


def _stale(message: str) -> ApiError:
    return ApiError(412, "err.version.stale", message)


def check_if_match(row: Any, if_match: str | None, label: str) -> None:
    """412 unless ``If-Match`` names the row's current version (or is absent or ``*``)."""
    if if_match is None:
        return
    wanted = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in wanted and etag(row) not in wanted:
        raise _stale(f"The {label} has changed since it was read (now version {row.version}).")


def find(session: Session, kind: RecordKind, key: dict) -> Any | None:
    ((name, value),) = key.items()
    return kind.find_by(session, name, value)


def build_row(session: Session, kind: RecordKind, content: dict, actor: Actor) -> Any:
    """Check a new record's content and build its row (not yet added to the session)."""
    status = content.get(kind.status_field, kind.initial_status)
    if status != kind.initial_status:
        raise field_error(
            f"{CONTENT}.{kind.status_field}", f"A new {kind.label} starts as {kind.initial_status}."
        )
    document, columns = kind.prepare(session, {**content, kind.status_field: status}, None)
    moment = now()
    return kind.model(
        id=content["id"],
        data=document,
        created_at=moment,
        updated_at=moment,
        created_by=actor.actor,
        updated_by=actor.actor,
        **columns,
    )


def record_creation(session: Session, kind: RecordKind, row: Any, actor: Actor) -> None:
    """What a record gets once its row is in the session: first status, side tables, log."""
    status = getattr(row, kind.status_field)
    add_history(session, kind.name, row.id, actor, kind="status_change", to_status=status)
    kind.after_write(session, row, None, actor)
    log_access(session, kind.subject_ids(session, [row]), "create", actor)
    registry_events.record_written(session, kind, row, None, None, _flusher(session, kind, row))


def create(session: Session, kind: RecordKind, content: dict, actor: Actor) -> Any:
    row = build_row(session, kind, content, actor)
    _insert(session, kind, row)
    record_creation(session, kind, row, actor)
    _commit(session, kind, row)
    return row


def _insert(session: Session, kind: RecordKind, row: Any) -> None:
    for _attempt in range(_INSERT_ATTEMPTS):
        kind.before_insert(session, row)
        session.add(row)
        try:
            session.flush()
            return
        except IntegrityError:
            session.rollback()
            conflict = kind.conflict(session, row)
            if conflict is not None:
                raise conflict from None
    raise ApiError(503, "err.registry.busy", "Could not allocate an identifier; try again.")


def _commit(session: Session, kind: RecordKind, row: Any) -> None:
    _explaining_failure(session, kind, row, session.commit)


def flush(session: Session, kind: RecordKind, row: Any, *, stale_message: str) -> None:
    """Write the pending changes now, within the transaction; a change that breaks a
    unique constraint is explained by ``kind`` for ``row`` (and nothing is kept)."""
    _explaining_failure(session, kind, row, session.flush, stale_message)


def _explaining_failure(
    session: Session,
    kind: RecordKind,
    row: Any,
    write: Callable[[], None],
    stale_message: str | None = None,
) -> None:
    # A failed write expires the row (its values would reload as stored), so
    # the values being written are kept aside to explain a refusal with them,
    # e.g. the national ID that someone else holds.
    attempted = _loaded_values(row)
    try:
        write()
    except StaleDataError:
        session.rollback()
        message = stale_message or f"The {kind.label} was changed by someone else; read it again."
        raise _stale(message) from None
    except IntegrityError:
        session.rollback()
        conflict = kind.conflict(session, kind.model(**attempted))
        raise conflict or ApiError(
            409, "err.record.conflict", f"The {kind.label} conflicts with another record."
        ) from None


def _flusher(session: Session, kind: RecordKind, row: Any) -> Callable[[], None]:
    """A flush of the pending writes, a refusal explained as ``row``'s."""
    return partial(_explaining_failure, session, kind, row, session.flush)


def _loaded_values(row: Any) -> dict[str, Any]:
    state = inspect(row)
    return {
        attribute.key: state.dict[attribute.key]
        for attribute in state.mapper.column_attrs
        if attribute.key in state.dict
    }


def update(
    session: Session,
    kind: RecordKind,
    row: Any,
    patch: dict,
    actor: Actor,
    *,
    if_match: str | None = None,
    status_change: dict | None = None,
    event: dict | None = None,
) -> tuple[Any, bool]:
    """Apply ``patch`` and commit; returns the row and whether it changed."""
    changed = apply_update(
        session,
        kind,
        row,
        patch,
        actor,
        if_match=if_match,
        status_change=status_change,
        event=event,
    )
    _commit(session, kind, row)
    return row, changed


def apply_update(
    session: Session,
    kind: RecordKind,
    row: Any,
    patch: dict,
    actor: Actor,
    *,
    if_match: str | None = None,
    status_change: dict | None = None,
    event: dict | None = None,
) -> bool:
    """Apply ``patch`` (top-level fields replace) within the session's transaction,
    without committing, so that other writes can land with it; whether it changed."""
    check_if_match(row, if_match, kind.label)
    old_status = getattr(row, kind.status_field)
    merged = {**row.data, **patch}
    new_status = merged.get(kind.status_field, old_status)
    if new_status != old_status and new_status not in kind.transitions.get(old_status, ()):
        allowed = ", ".join(kind.transitions.get(old_status, ())) or "none"
        raise field_error(
            f"{CONTENT}.{kind.status_field}",
            f"A {kind.label} cannot go from {old_status} to {new_status} (allowed: {allowed}).",
        )
    document, columns = kind.prepare(session, merged, row)
    if event is not None and _repeats_last_entry(session, kind, row, event, actor):
        event = None  # a retried delivery: recorded already
    unchanged = document == row.data and all(getattr(row, k) == v for k, v in columns.items())
    if unchanged and event is None:
        log_access(session, kind.subject_ids(session, [row]), "update", actor)
        return False
    previous_data = row.data
    row.data = document
    for name, value in columns.items():
        setattr(row, name, value)
    row.updated_at = now()
    row.updated_by = actor.actor
    if new_status != old_status:
        change = status_change or {}
        add_history(
            session,
            kind.name,
            row.id,
            actor,
            kind="status_change",
            from_status=old_status,
            to_status=new_status,
            reason=change.get("reason"),
            note=change.get("note"),
        )
    if event is not None:
        add_history(session, kind.name, row.id, actor, kind=event["kind"], note=event["text"])
    kind.after_write(session, row, previous_data, actor)
    log_access(session, kind.subject_ids(session, [row]), "update", actor)
    flusher = _flusher(session, kind, row)
    registry_events.record_written(session, kind, row, previous_data, status_change, flusher)
    return True


def _repeats_last_entry(
    session: Session, kind: RecordKind, row: Any, event: dict, actor: Actor
) -> bool:
    """Whether ``event`` is the record's last history entry again (kind, text, actor)."""
    last = session.scalar(
        select(HistoryEntry)
        .where(HistoryEntry.record_type == kind.name, HistoryEntry.record_id == row.id)
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    )
    return last is not None and (last.kind, last.note, last.actor) == (
        event["kind"],
        event["text"],
        actor.actor,
    )


def update_or_create(
    session: Session, kind: RecordKind, content: dict, actor: Actor, if_match: str | None
) -> tuple[Any, bool]:
    """Create the record with ``content["id"]`` or bring it to ``content``; (row, created)."""
    row = session.get(kind.model, content["id"])
    if row is None:
        try:
            return create(session, kind, content, actor), True
        except ApiError as error:
            if error.errors[0]["code"] != "err.id.duplicate":
                raise
            row = session.get(kind.model, content["id"])
    patch = {name: value for name, value in content.items() if name != "id"}
    updated, _changed = update(session, kind, row, patch, actor, if_match=if_match)
    return updated, False


def read(session: Session, kind: RecordKind, key: dict, actor: Actor) -> Any:
    row = find(session, kind, key)
    if row is None:
        raise not_found(kind.label)
    log_access(session, kind.subject_ids(session, [row]), "read", actor)
    session.commit()
    return row


def exists(session: Session, kind: RecordKind, key: dict, actor: Actor) -> bool:
    """Whether the record exists; telling that is a read of the people it is about."""
    row = find(session, kind, key)
    if row is None:
        return False
    log_access(session, kind.subject_ids(session, [row]), "read", actor)
    session.commit()
    return True


def list_page(
    session: Session,
    kind: RecordKind,
    filters: dict[str, str],
    ordering: str,
    page: int,
    page_size: int,
) -> tuple[int, list[Any]]:
    conditions = [kind.filters()[name](value) for name, value in filters.items()]
    count = session.scalar(select(func.count()).select_from(kind.model).where(*conditions)) or 0
    rows = session.scalars(
        select(kind.model)
        .where(*conditions)
        .order_by(*kind.orderings()[ordering], kind.model.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return count, list(rows)
