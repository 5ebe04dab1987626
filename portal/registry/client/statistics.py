"""Counts for public figures (``GET /statistics/1.0/counts``): persons,
households, applications and grievances by commune, on one day. No person's
data: the answer is counts only (scope ``registry.statistics``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict, cast

from portal.registry.client.base import Actor, RegistryConnection

# Whole years, both ends included; "to" is None for the last band (60_plus).
AgeBand = TypedDict("AgeBand", {"id": str, "from": int, "to": int | None})


class PersonCount(TypedDict):
    sex: Literal["female", "male", "other"]
    age_band: str
    count: int


class HouseholdCounts(TypedDict):
    total: int
    by_channel: dict[str, int]  # portal, commune_office, other (all present)
    idpoor_verified: dict[str, int]  # "1", "2" (both present)


class PlaceCounts(TypedDict):
    commune_code: str | None  # None: records with no commune
    persons: list[PersonCount]
    households: HouseholdCounts
    applications: list[dict]  # {programme_id, state, count}
    application_decision_days: list[dict]  # {programme_id, days, count}
    grievances: list[dict]  # {category, state, count}
    grievance_deadlines: dict[str, int]  # overdue, decided_on_time, decided_late
    grievance_resolution_days: list[dict]  # {days, count}


class Counts(TypedDict):
    as_of: str  # ISO date
    computed_at: str  # ISO date-time, UTC
    age_bands: list[AgeBand]  # 0_5, 6_17, 18_59, 60_plus
    places: list[PlaceCounts]  # by commune code, the one with no commune last


class Statistics:
    def __init__(self, connection: RegistryConnection) -> None:
        self._connection = connection

    def counts(self, *, actor: Actor, as_of: dt.date | None = None) -> Counts:
        """The counts by commune on ``as_of`` (default: today in Phnom Penh), as
        the registry answers them; counts of 0 are left out of the lists."""
        params = {"as_of": as_of.isoformat()} if as_of is not None else None
        answer = self._connection.call(
            "GET", "/statistics/1.0/counts", params=params, actor=actor, idempotent=True
        )
        return cast(Counts, answer.body)
