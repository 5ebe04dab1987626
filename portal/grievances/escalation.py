"""Escalation: a periodic job of the outbox workers sends each open case past
its deadline to the supervisors, once.

A case is past its deadline when it is still open on the day after it was to
be resolved (``resolve_by``), or still only "received" on the day after it was
to be acknowledged (``acknowledge_by``); days are Phnom Penh days. Escalating
sets the case's ``escalated_at``; the registry writes the "escalation" entry
of its history when that is first set and refuses to change it afterwards.

Several workers may run the job at once (the schedule gives each turn to one
worker, but a slow turn may meet the next one): each change is made with the
version the job read (If-Match), so of two workers escalating the same case
one wins and the other is told the case changed (412) or is already
escalated (422), and skips it. A case the job skips is looked at again on its
next turn.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask

from portal import local_time
from portal.grievances import states
from portal.outbox.jobs import register_job
from portal.registry.client import (
    Actor,
    RegistryConflict,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryUnavailable,
    RegistryValidationError,
    etag_of,
)
from portal.registry_access import registry

logger = logging.getLogger("portal.grievances.escalation")

JOB = "grievance-escalation"
ACTOR = Actor(actor="system:escalation", purpose="grievance escalation", on_behalf_of=None)
PAGE_SIZE = 100
MAX_PAGES = 100  # 10,000 cases a turn; the rest on the next turn
DEFAULT_MINUTES = 15


def _pages(app: Flask, filters: dict[str, str]):
    """Every case matching ``filters``, page by page (oldest first)."""
    for page in range(1, MAX_PAGES + 1):
        found = registry(app).grievances.list(
            actor=ACTOR, page=page, page_size=PAGE_SIZE, ordering="created_at", **filters
        )
        yield from found.results
        if not found.next or not found.results:
            return


def overdue_cases(app: Flask, today: dt.date) -> list[dict]:
    """Open cases not yet escalated whose time to resolve, or to acknowledge, has
    passed. All are read before any is changed: escalating one takes it out of
    the query, which would move the pages under a reader still paging."""
    day = today.isoformat()
    queries = (
        {"grievance_status": ",".join(sorted(states.OPEN)), "due_before": day},
        {"grievance_status": states.RECEIVED, "acknowledge_before": day},
    )
    found: dict[str, dict] = {}
    for filters in queries:
        for case in _pages(app, {**filters, "escalated": "false"}):
            if case.get("status") in states.OPEN and not case.get("escalated_at"):
                found.setdefault(case["id"], case)
    return list(found.values())


def escalate(app: Flask, case: dict, now: dt.datetime) -> bool:
    """Escalate one case as read; False when someone else changed it first."""
    try:
        registry(app).grievances.update(
            case["id"],
            {"escalated_at": now.isoformat(timespec="seconds")},
            actor=ACTOR,
            if_match=etag_of(case),
        )
    except (
        RegistryPreconditionFailed,
        RegistryValidationError,
        RegistryConflict,
        RegistryNotFound,
    ):
        return False
    return True


def escalate_overdue(app: Flask, today: dt.date | None = None) -> str:
    """One turn of the job: its outcome, in counts only.

    While the registry does not answer its health check the turn is left out
    (the next one does the work): retried lists would only add to the failures
    that open the registry client's circuit, which the outbox's deliveries
    share."""
    try:
        registry(app).ping()
    except RegistryUnavailable:
        return "registry unavailable: nothing done"
    today = today or local_time.today()
    escalated = skipped = 0
    try:
        for case in overdue_cases(app, today):
            if escalate(app, case, dt.datetime.now(dt.UTC)):
                escalated += 1
            else:
                skipped += 1
    except RegistryUnavailable:
        return f"registry unavailable: escalated {escalated}, skipped {skipped}"
    return f"escalated {escalated}, skipped {skipped}"


def setup_escalation(app: Flask) -> None:
    """The job, every GRIEVANCE_ESCALATION_MINUTES (15 unless set)."""
    minutes = int(app.config.setdefault("GRIEVANCE_ESCALATION_MINUTES", DEFAULT_MINUTES))
    register_job(app, JOB, dt.timedelta(minutes=minutes), lambda: escalate_overdue(app))
