"""Outbox keys of a citizen's submissions about one record:
``<record type>/<action>/<detail>/<record id>`` (e.g.
``applications/new/elderly_allowance/<id>``, ``change-requests/withdraw//<id>``).
The key makes a repeated submission the same one, and carries what a page
needs to show a submission the registry does not have yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from portal.local_time import local_day, today
from portal.outbox.services import not_yet_delivered
from portal.registry.client import Page, RegistryUnavailable

NEW = "new"


def submission_key(record_type: str, action: str, detail: str, record_id: str) -> str:
    return f"{record_type}/{action}/{detail}/{record_id}"


def parse(key: str, record_type: str, actions: tuple[str, ...]) -> tuple[str, str] | None:
    """(action, detail) of a key of ``record_type`` with one of ``actions``, else None."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != record_type or parts[1] not in actions:
        return None
    return parts[1], parts[2]


@dataclass(frozen=True)
class Waiting:
    """A new record received by the portal and not yet in the registry."""

    id: str
    detail: str  # what the key carries: a request type, a programme
    reference: str
    received_on: dt.date


def waiting_new(owner: str, record_type: str) -> list[Waiting]:
    """``owner``'s new records of ``record_type`` still in the outbox, newest first."""
    found = []
    for item in not_yet_delivered(owner):
        parsed = parse(item.key, record_type, (NEW,)) if item.record_type == record_type else None
        if parsed:
            day = local_day(item.received_at) or today()
            found.append(Waiting(item.record_id, parsed[1], item.reference or "", day))
    return found[::-1]


def waiting_actions(owner: str, record_type: str, record_id: str, actions: tuple[str, ...]):
    """The actions (e.g. withdraw) on one record still waiting in the outbox."""
    return [
        parsed[0]
        for item in not_yet_delivered(owner)
        if item.record_id == record_id
        and (parsed := parse(item.key, record_type, actions)) is not None
    ]


@dataclass(frozen=True)
class Listing:
    """One page of a citizen's records: the registry's, and on the first page
    the new ones still waiting in the outbox (not yet among the registry's)."""

    records: list[dict]
    waiting: list[Waiting]
    registry_answered: bool
    pages: int


def listing(
    page: int,
    page_size: int,
    waiting: Callable[[], list[Waiting]],
    registry_page: Callable[[int], Page],
) -> Listing:
    """The page; when the registry does not answer, what waits is shown alone
    (RegistryUnavailable is raised when nothing waits either)."""
    waits = waiting() if page == 1 else []
    try:
        found = registry_page(page)
    except RegistryUnavailable:
        if not waits:
            raise
        return Listing([], waits, registry_answered=False, pages=1)
    known = {record["id"] for record in found.results}
    return Listing(
        found.results,
        [item for item in waits if item.id not in known],
        registry_answered=True,
        pages=max(1, -(-found.count // page_size)),
    )
