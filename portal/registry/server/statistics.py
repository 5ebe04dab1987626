"""Counts for public figures (``GET /statistics/1.0/counts``): persons,
households, applications and grievances by commune, on one day (``as_of``).

Only counts leave the registry, never a person's data, so the answer is not
written to anyone's access log. What is counted, and how, is stated plainly in
the contract (operation ``statisticsCounts``); the queries are in
``statistics_queries``. This module parses the request and assembles the answer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from flask import Response, jsonify, request
from sqlalchemy.orm import Session

from portal.local_time import today
from portal.registry.server import statistics_queries as queries
from portal.registry.server.audit import current_actor
from portal.registry.server.auth import authorize
from portal.registry.server.errors import field_error
from portal.registry.server.sessions import request_session

SCOPE = "registry.statistics"
AGE_BANDS = [
    {"id": "0_5", "from": 0, "to": 5},
    {"id": "6_17", "from": 6, "to": 17},
    {"id": "18_59", "from": 18, "to": 59},
    {"id": "60_plus", "from": 60, "to": None},
]
SEXES = ("female", "male", "other")
CHANNELS = ("portal", "commune_office", "other")
IDPOOR_LEVELS = ("1", "2")
APPLICATION_STATES = ("waiting", "approved", "paid", "refused", "withdrawn")
GRIEVANCE_STATES = ("open", "resolved", "rejected", "closed", "appealed")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _as_of() -> date:
    raw = request.args.get("as_of")
    if raw is None:
        return today()
    problem = f"as_of is a date YYYY-MM-DD from {EARLIEST_YEAR} to {LATEST_YEAR}."
    if not _DATE.fullmatch(raw):
        raise field_error("as_of", problem)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise field_error("as_of", problem) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise field_error("as_of", problem)
    return day


def counts() -> Response:
    """``GET /statistics/1.0/counts?as_of=YYYY-MM-DD`` (default: today in Phnom Penh)."""
    current_actor(authorize(SCOPE))
    as_of = _as_of()
    return jsonify(counts_as_of(request_session(), as_of))


class _Place:
    """What is counted in one commune (or among records with no commune)."""

    def __init__(self) -> None:
        self.persons: Counter[tuple[str, str]] = Counter()
        self.households = 0
        self.channels: Counter[str] = Counter()
        self.idpoor: Counter[str] = Counter()
        self.applications: Counter[tuple[str, str]] = Counter()
        self.decision_days: Counter[tuple[str, int]] = Counter()
        self.grievances: Counter[tuple[str, str]] = Counter()
        self.deadlines: Counter[str] = Counter()
        self.resolution_days: Counter[int] = Counter()

    def answer(self, commune_code: str | None) -> dict:
        bands = [band["id"] for band in AGE_BANDS]
        return {
            "commune_code": commune_code,
            "persons": [
                {"sex": sex, "age_band": band, "count": count}
                for (sex, band), count in sorted(
                    self.persons.items(),
                    key=lambda item: (SEXES.index(item[0][0]), bands.index(item[0][1])),
                )
            ],
            "households": {
                "total": self.households,
                "by_channel": {channel: self.channels[channel] for channel in CHANNELS},
                "idpoor_verified": {level: self.idpoor[level] for level in IDPOOR_LEVELS},
            },
            "applications": [
                {"programme_id": programme, "state": state, "count": count}
                for (programme, state), count in sorted(
                    self.applications.items(),
                    key=lambda item: (item[0][0], APPLICATION_STATES.index(item[0][1])),
                )
            ],
            "application_decision_days": [
                {"programme_id": programme, "days": days, "count": count}
                for (programme, days), count in sorted(self.decision_days.items())
            ],
            "grievances": [
                {"category": category, "state": state, "count": count}
                for (category, state), count in sorted(
                    self.grievances.items(),
                    key=lambda item: (item[0][0], GRIEVANCE_STATES.index(item[0][1])),
                )
            ],
            "grievance_deadlines": {
                name: self.deadlines[name]
                for name in ("overdue", "decided_on_time", "decided_late")
            },
            "grievance_resolution_days": [
                {"days": days, "count": count}
                for days, count in sorted(self.resolution_days.items())
            ],
        }


def counts_as_of(session: Session, as_of: date) -> dict:
    """The answer of ``GET /statistics/1.0/counts`` for ``as_of``."""
    places: defaultdict[str | None, _Place] = defaultdict(_Place)
    for commune, sex, band, count in queries.persons(session, as_of):
        places[commune].persons[sex, band] += count
    for commune, channel, level in queries.households(session, as_of):
        place = places[commune]
        place.households += 1
        place.channels[channel] += 1
        if level is not None:
            place.idpoor[level] += 1
    for commune, programme, state, count in queries.applications(session):
        places[commune].applications[programme, state] += count
    for commune, programme, days in queries.application_decisions(session):
        places[commune].decision_days[programme, days] += 1
    for commune, category, state, count in queries.grievances(session):
        places[commune].grievances[category, state] += count
    for commune, count in queries.overdue_grievances(session, as_of):
        places[commune].deadlines["overdue"] += count
    for commune, on_time, days in queries.grievance_decisions(session):
        place = places[commune]
        if on_time is not None:
            place.deadlines["decided_on_time" if on_time else "decided_late"] += 1
        place.resolution_days[days] += 1
    order = sorted(places, key=lambda code: (code is None, code or ""))
    return {
        "as_of": as_of.isoformat(),
        "computed_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "age_bands": AGE_BANDS,
        "places": [places[code].answer(code) for code in order],
    }
