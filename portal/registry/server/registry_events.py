"""Registry events notified to subscribed operators (DCI ``notify``).

``store`` reports each write of a person or a household to ``record_written``.
In the same transaction as the write, every active subscription to its event
(see ``subscriptions``) whose filter matches gets one ``notify`` message
queued for the subscriber (``callbacks`` delivers it, with retries), holding
the record as that subscriber may see it (``dci_records``: full records with
``registry.read``, else search-only ones), and each person sent gets an entry
in their access log. A write that is no event costs nothing; one with no
subscription to its event, one indexed query (event, status).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.registry.server import callbacks
from portal.registry.server.audit import client_actor, log_access, now
from portal.registry.server.dci_envelope import REG_TYPE, VERSION, answer_header
from portal.registry.server.dci_records import (
    full_group,
    full_member,
    search_only_group,
    search_only_member,
)
from portal.registry.server.households import HouseholdKind
from portal.registry.server.kinds import RecordKind, iso
from portal.registry.server.models import DciSubscription, OAuthClient, Person
from portal.registry.server.persons import PersonKind
from portal.registry.server.subscriptions import (
    ACTIVE,
    DEATH,
    HOUSEHOLD_CHANGED,
    NEW_HOUSEHOLD_MEMBER,
    RECORD_TYPES,
    REGISTER,
    Refused,
    condition_of,
    notify_window,
)

log = logging.getLogger(__name__)

_PERSONS = PersonKind()
_HOUSEHOLDS = HouseholdKind()
# The accountability of a notification in the access log: the subscriber's
# client receives the record, because of its subscription.
PURPOSE = "subscription"

Subscribed = tuple[DciSubscription, OAuthClient]


def record_written(
    session: Session,
    kind: RecordKind,
    row: Any,
    previous_data: dict | None,
    status_change: dict | None,
    flush: Callable[[], None],
) -> None:
    """Queue the notifications of this write (``previous_data`` None for a
    new record); ``flush`` writes the pending changes, explaining a refusal."""
    events = events_of(kind.name, row, previous_data, status_change)
    if not events:
        return
    subscribed = _subscribed(session, events)
    if not subscribed:
        return
    flush()  # the filters are evaluated on the record as it will be committed
    matching = _matching(session, subscribed, _concerned(kind.name, row, previous_data))
    if not matching:
        return
    records = _Records(session, kind.name, row)
    registry_id = current_app.config["REGISTRY_ID"]
    for subscription, client in matching:
        _notify(session, subscription, client, records, registry_id)


def events_of(
    name: str, row: Any, previous_data: dict | None, status_change: dict | None
) -> tuple[str, ...]:
    """The events a write of a record of kind ``name`` is."""
    if name == "persons":
        if previous_data is None:
            return (REGISTER,)
        died = (
            row.status == "inactive"
            and previous_data.get("status") == "active"
            and (status_change or {}).get("reason") == "death"
        )
        return (DEATH,) if died else ()
    if name == "households":
        before = {member["spid"] for member in (previous_data or {}).get("members", [])}
        joined = any(member["spid"] not in before for member in row.data.get("members", []))
        return (NEW_HOUSEHOLD_MEMBER, HOUSEHOLD_CHANGED) if joined else (HOUSEHOLD_CHANGED,)
    return ()


def _subscribed(session: Session, events: tuple[str, ...]) -> list[Subscribed]:
    """The active subscriptions to ``events`` of active clients that may
    search, within their notification window now."""
    with session.no_autoflush:  # the write is flushed only when someone listens
        rows = session.execute(
            select(DciSubscription, OAuthClient)
            .join(OAuthClient, OAuthClient.client_id == DciSubscription.client_id)
            .where(
                DciSubscription.reg_event_type.in_(events),
                DciSubscription.status == ACTIVE,
                OAuthClient.active.is_(True),
            )
            .order_by(DciSubscription.created_at, DciSubscription.code)
        ).all()
    moment = now()
    found: list[Subscribed] = []
    for subscription, client in rows:
        if "registry.search" not in client.scopes.split():
            continue
        try:
            start, end = notify_window(subscription.criteria)
        except Refused:
            continue
        if (start is None or start <= moment) and (end is None or moment <= end):
            found.append((subscription, client))
    return found


def _concerned(name: str, row: Any, previous_data: dict | None) -> ColumnElement[bool]:
    """The persons an event is about: the person, or a household's members
    (before and after the change)."""
    if name == "persons":
        return Person.id == row.id
    members = [*row.data.get("members", []), *(previous_data or {}).get("members", [])]
    return Person.spid.in_(sorted({member["spid"] for member in members}))


def _matching(
    session: Session, subscribed: list[Subscribed], concerned: ColumnElement[bool]
) -> list[Subscribed]:
    """The subscriptions whose filter finds a person concerned: one query,
    one EXISTS per subscription."""
    candidates: list[tuple[Subscribed, ColumnElement[bool]]] = []
    for subscription, client in subscribed:
        try:
            condition = condition_of(subscription.criteria)
        except Refused:
            log.warning("subscription %s: its filter can no longer be evaluated", subscription.code)
            continue
        candidates.append(((subscription, client), condition))
    if not candidates:
        return []
    tests = [
        select(Person.id).where(concerned, condition).exists().label(f"s{index}")
        for index, (_pair, condition) in enumerate(candidates)
    ]
    found = session.execute(select(*tests)).one()
    return [pair for (pair, _condition), hit in zip(candidates, found, strict=True) if hit]


class _Records:
    """The changed record as DCI shapes it, full or search-only, made once."""

    def __init__(self, session: Session, name: str, row: Any) -> None:
        self.session, self.name, self.row = session, name, row
        self._shaped: dict[bool, tuple[dict, list[str]]] = {}

    def shaped(self, full: bool) -> tuple[dict, list[str]]:
        """The record, and the ids of the persons whose data it carries."""
        if full not in self._shaped:
            self._shaped[full] = self._person(full) if self.name == "persons" else self._group(full)
        return self._shaped[full]

    def _person(self, full: bool) -> tuple[dict, list[str]]:
        presented = _PERSONS.present(self.session, self.row)
        shape = full_member if full else search_only_member
        return shape(presented), [self.row.id]

    def _group(self, full: bool) -> tuple[dict, list[str]]:
        presented = _HOUSEHOLDS.present(self.session, self.row)
        spids = [member["spid"] for member in presented.get("members", [])]
        people = (
            self.session.scalars(select(Person).where(Person.spid.in_(spids))).all()
            if spids
            else []
        )
        person_ids = [person.id for person in people]
        if not full:
            return search_only_group(presented), person_ids
        members = _PERSONS.present_many(self.session, list(people))
        by_spid = {member["spid"]: full_member(member) for member in members}
        return full_group(presented, by_spid), person_ids


def _notify(
    session: Session,
    subscription: DciSubscription,
    client: OAuthClient,
    records: _Records,
    registry_id: str,
) -> None:
    try:
        url = callbacks.address_for(session, client.client_id, "notify", None)
    except callbacks.NoCallbackAddress:
        log.warning("subscription %s: its client has no callback address", subscription.code)
        return
    full = subscription.full_records and "registry.read" in client.scopes.split()
    record, person_ids = records.shaped(full)
    body = notification(subscription, record, registry_id)
    callbacks.enqueue(session, client.client_id, url, "notify", body)
    actor = client_actor(client.client_id, {"consent": {"purpose": PURPOSE}})
    log_access(session, person_ids, "read" if full else "search", actor)


def notification(subscription: DciSubscription, record: dict, registry_id: str) -> dict:
    """The notify envelope (unsigned) of one event for one subscription: its
    transaction_id is the subscription code, ``reg_records`` the one record
    (an object, as the official RegistryRecord is)."""
    header = answer_header(
        {"sender_id": subscription.sender_id},
        "notify",
        "succ",
        registry_id,
        total=1,
        completed=1,
    )
    event = {
        "reference_id": str(uuid.uuid4()),
        "timestamp": iso(now()),
        "data": {
            "version": VERSION,
            "reg_type": REG_TYPE,
            "reg_record_type": RECORD_TYPES[subscription.reg_event_type],
            "reg_records": record,
        },
        "locale": "eng",
    }
    message = {"transaction_id": subscription.code, "notify_event": [event]}
    return {"header": header, "message": message}
