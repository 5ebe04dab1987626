"""The queries behind ``GET /statistics/1.0/counts`` (see ``statistics``).

Plain counts are SQL GROUP BYs (persons by commune, sex and age band, with the
bands' limits worked out as birth dates here; applications and grievances by
status). What needs the JSON document or the history (IDPoor cards, payments,
channels of registration, decision moments) is read in a second query,
streamed, and worked out here. Each function yields rows with a count of at
least 1, or one row per record counted; the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.local_time import local_day
from portal.registry.server.models import Application, Grievance, HistoryEntry, Household, Person

STREAM = {"yield_per": 1000}

# Registry status → the figures' state group. A status missing here (none
# today) is left out of the counts rather than guessed.
APPLICATION_GROUPS = {
    "submitted": "waiting",
    "received": "waiting",
    "information_requested": "waiting",
    "documents_checked": "waiting",
    "approved": "approved",
    "enrolled": "approved",  # "paid" once a payment is recorded (see applications())
    "refused": "refused",
    "withdrawn": "withdrawn",
}
GRIEVANCE_GROUPS = {
    **dict.fromkeys(
        ("received", "acknowledged", "investigating", "reopened", "in_progress", "escalated"),
        "open",
    ),
    "resolved": "resolved",
    "rejected": "rejected",
    "closed": "closed",
    "appealed": "appealed",
}
OPEN_GRIEVANCES = tuple(status for status, group in GRIEVANCE_GROUPS.items() if group == "open")
DECISIONS = ("approved", "refused")


def years_before(day: date, years: int) -> date:
    """The latest birth date of someone ``years`` old on ``day`` (born on 29
    February, one is a year older on 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, and that year has none
        return day.replace(year=day.year - years, day=28)


def persons(session: Session, as_of: date) -> Iterator[tuple[str | None, str, str, int]]:
    """(commune, sex, age band, count) of active persons born on or before ``as_of``."""
    band = case(
        (Person.birth_date > years_before(as_of, 6), "0_5"),
        (Person.birth_date > years_before(as_of, 18), "6_17"),
        (Person.birth_date > years_before(as_of, 60), "18_59"),
        else_="60_plus",
    )
    sex = case((Person.sex.in_(("female", "male")), Person.sex), else_="other")
    people = (
        select(Person.commune_code.label("commune"), sex.label("sex"), band.label("band"))
        .where(Person.status == "active", Person.birth_date <= as_of)
        .subquery()
    )
    query = select(people.c.commune, people.c.sex, people.c.band, func.count()).group_by(
        people.c.commune, people.c.sex, people.c.band
    )
    yield from session.execute(query)


def registration_channel(channel: str | None, actor: str | None) -> str:
    """Where a household was registered, from its creation entry's channel and actor."""
    if channel == "officer":
        return "commune_office"
    if channel == "web" or (actor or "").startswith("citizen:"):
        return "portal"
    return "other"  # IDPoor surveys, imports, the demo seed, no creation entry


def verified_idpoor_level(idpoor: object, as_of: date) -> str | None:
    """The level ("1" or "2") of a verified card valid on ``as_of``, else None."""
    if not isinstance(idpoor, dict):
        return None
    level = idpoor.get("level")
    if type(level) is not int or level not in (1, 2) or idpoor.get("self_declared") is True:
        return None
    if not (idpoor.get("verified_by") or idpoor.get("verified_at")):
        return None
    expiry = idpoor.get("expiry")
    if expiry:
        try:
            if date.fromisoformat(expiry) < as_of:
                return None
        except (TypeError, ValueError):
            return None  # not a date: not shown as valid
    return str(level)


def households(session: Session, as_of: date) -> Iterator[tuple[str | None, str, str | None]]:
    """(commune, channel of registration, verified IDPoor level) per active household."""
    creation = (
        select(
            HistoryEntry.record_id,
            HistoryEntry.channel,
            HistoryEntry.actor,
            HistoryEntry.at,
            HistoryEntry.id,
        )
        .where(
            HistoryEntry.record_type == "households",
            HistoryEntry.kind == "status_change",
            HistoryEntry.from_status.is_(None),
        )
        .subquery()
    )
    query = (
        select(
            Household.id,
            Household.village_code,
            Household.data["idpoor"],
            creation.c.channel,
            creation.c.actor,
        )
        .outerjoin(creation, creation.c.record_id == Household.id)
        .where(Household.status == "active")
        .order_by(Household.id, creation.c.at, creation.c.id)
        .execution_options(**STREAM)
    )
    previous = None
    for household_id, village, idpoor, channel, actor in session.execute(query):
        if household_id == previous:
            continue  # a later creation entry: the earliest counts
        previous = household_id
        commune = village[:6] if village else None
        yield commune, registration_channel(channel, actor), verified_idpoor_level(idpoor, as_of)


def applications(session: Session) -> Iterator[tuple[str | None, str, str, int]]:
    """(commune, programme, state group, count); enrolled ones are "paid" once a
    payment is recorded, else "approved"."""
    query = (
        select(Application.commune_code, Application.programme_id, Application.status, func.count())
        .where(Application.status != "enrolled")
        .group_by(Application.commune_code, Application.programme_id, Application.status)
    )
    for commune, programme, status, count in session.execute(query):
        if status in APPLICATION_GROUPS:
            yield commune, programme, APPLICATION_GROUPS[status], count
    enrolled = (
        select(Application.commune_code, Application.programme_id, Application.data["payments"])
        .where(Application.status == "enrolled")
        .execution_options(**STREAM)
    )
    for commune, programme, payments in session.execute(enrolled):
        yield commune, programme, "paid" if payments else "approved", 1


def application_decisions(session: Session) -> Iterator[tuple[str | None, str, int]]:
    """(commune, programme, days) per application approved or refused: from the
    Phnom Penh day it was submitted to that of its first decision."""
    decided = (
        select(HistoryEntry.record_id, func.min(HistoryEntry.at).label("at"))
        .where(
            HistoryEntry.record_type == "applications",
            HistoryEntry.kind == "status_change",
            HistoryEntry.to_status.in_(DECISIONS),
        )
        .group_by(HistoryEntry.record_id)
        .subquery()
    )
    query = (
        select(
            Application.commune_code, Application.programme_id, Application.created_at, decided.c.at
        )
        .join(decided, decided.c.record_id == Application.id)
        .execution_options(**STREAM)
    )
    for commune, programme, created_at, decided_at in session.execute(query):
        yield commune, programme, _days(created_at, decided_at)


def grievances(session: Session) -> Iterator[tuple[str | None, str, str, int]]:
    """(commune, category, state group, count)."""
    query = select(
        Grievance.commune_code, Grievance.category, Grievance.status, func.count()
    ).group_by(Grievance.commune_code, Grievance.category, Grievance.status)
    for commune, category, status, count in session.execute(query):
        if status in GRIEVANCE_GROUPS:
            yield commune, category, GRIEVANCE_GROUPS[status], count


def overdue_grievances(session: Session, as_of: date) -> Iterator[tuple[str | None, int]]:
    """(commune, count) of open grievances due before ``as_of``."""
    query = (
        select(Grievance.commune_code, func.count())
        .where(Grievance.status.in_(OPEN_GRIEVANCES), Grievance.resolve_by < as_of)
        .group_by(Grievance.commune_code)
    )
    yield from session.execute(query)


def grievance_decisions(session: Session) -> Iterator[tuple[str | None, bool | None, int]]:
    """(commune, decided by the due day or None without one, days from report
    to decision) per grievance with a decision moment; days in Phnom Penh."""
    query = (
        select(
            Grievance.commune_code, Grievance.created_at, Grievance.decided_at, Grievance.resolve_by
        )
        .where(Grievance.decided_at.is_not(None))
        .execution_options(**STREAM)
    )
    for commune, created_at, decided_at, resolve_by in session.execute(query):
        on_time = None if resolve_by is None else local_day(decided_at) <= resolve_by
        yield commune, on_time, _days(created_at, decided_at)


def _days(start, end) -> int:
    """Whole days between two moments' Phnom Penh days, never below 0."""
    return max(0, (local_day(end) - local_day(start)).days)
