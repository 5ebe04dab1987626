"""What ``GET /statistics/1.0/counts`` should answer, worked out another way:
from the records as the registry's data API presents them, one by one, in
plain Python. Written apart from ``portal/registry/server/statistics*.py`` and
``portal/figures`` (it shares no code with them), so that a test comparing the
two catches a mistake in either.

    truth_from_registry(registry_client, as_of)         # a RegistryClient
    truth_from_registry(http, as_of, headers=headers)   # httpx.Client; bearer + actor headers
    assert comparable(registry_client.statistics.counts(actor=..., as_of=as_of)) == truth

``truth`` leaves out ``computed_at`` (a moment, not a count): compare with
``comparable(answer)``. ``places_by_code`` gives the places of either by code.

Where a household was registered (its channel) is not in the household as the
data API presents it. Every write of a record logs a ``create`` entry, with the
write's channel, in the access log of each person it carries, so it is read
from the members' access logs: the household's creator's ``create`` entries,
after each member's own registration. When the creator wrote several of these
with different channels, the moment shared by the most members (the household's
creation logs all its first members at once), the earliest on a tie, decides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from portal.registry.client import Actor

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
TRUTH_ACTOR = Actor(actor="test:figures-truth", purpose="figures-truth-check")
PAGE_SIZE = 100

BANDS = [("0_5", 0, 5), ("6_17", 6, 17), ("18_59", 18, 59), ("60_plus", 60, None)]
SEX_ORDER = ["female", "male", "other"]
APPLICATION_STATE_ORDER = ["waiting", "approved", "paid", "refused", "withdrawn"]
GRIEVANCE_STATE_ORDER = ["open", "resolved", "rejected", "closed", "appealed"]
WAITING = {"submitted", "received", "information_requested", "documents_checked"}
OPEN = {"received", "acknowledged", "investigating", "reopened", "in_progress", "escalated"}


@dataclass
class Records:
    """Everything the truth is worked out from, as the data API presents it."""

    persons: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    grievances: list[dict] = field(default_factory=list)
    # household id → the channel its creation was written with (None: none said)
    household_channels: dict[str, str | None] = field(default_factory=dict)


# Reading the registry


class _Reader:
    def __init__(self, source, headers: dict[str, str] | None) -> None:
        self.source = source
        self.headers = headers or {}

    def get(self, path: str, params: dict) -> dict:
        connection = getattr(self.source, "connection", None)
        if connection is not None:  # the portal's RegistryClient
            return connection.call(
                "GET", path, params=params, actor=TRUTH_ACTOR, idempotent=True
            ).body
        response = self.source.get(path, params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def every(self, path: str, params: dict | None = None) -> list:
        found, page = [], 1
        while True:
            body = self.get(path, {**(params or {}), "page": page, "pageSize": PAGE_SIZE})
            found += body["results"]
            if len(body["results"]) < PAGE_SIZE:
                return found
            page += 1


def read_records(source, *, headers: dict[str, str] | None = None) -> Records:
    """Every person, household, application and grievance, through the data API."""
    reader = _Reader(source, headers)
    records = Records(
        *(
            reader.every(f"/data/{name}/1.0", {"ordering": "created_at"})
            for name in ("persons", "households", "applications", "grievances")
        )
    )
    person_ids = {person["spid"]: person["id"] for person in records.persons}
    for household in records.households:
        if household["status"] == "active":
            records.household_channels[household["id"]] = _creation_channel(
                reader, household, person_ids
            )
    return records


def _creates_by(reader: _Reader, person_id: str, actor: str) -> list[tuple[datetime, str | None]]:
    """(moment, channel) of ``actor``'s create entries in a person's access log,
    after the person's own registration (their first entry)."""
    entries = reader.every(f"/data/persons/1.0/{person_id}/access-log")
    entries.sort(key=lambda entry: _moment(entry["at"]))
    if entries and entries[0]["action"] == "create":
        entries = entries[1:]
    return [
        (_moment(entry["at"]), entry["channel"])
        for entry in entries
        if entry["action"] == "create" and entry["actor"] == actor
    ]


def _creation_channel(reader: _Reader, household: dict, person_ids: dict) -> str | None:
    creator = household["created_by"]
    members = sorted(household["members"], key=lambda m: m["household_status"] != "head")
    ids = [person_ids[m["spid"]] for m in members if m["spid"] in person_ids]
    if not ids:
        return None
    first = _creates_by(reader, ids[0], creator)
    if len({channel for _at, channel in first}) <= 1:
        return first[0][1] if first else None
    shared: Counter[datetime] = Counter(at for at, _channel in first)
    for person_id in ids[1:]:
        shared.update({at for at, _channel in _creates_by(reader, person_id, creator)})
    best = min(first, key=lambda item: (-shared[item[0]], item[0]))
    return best[1]


# Working out the counts


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _phnom_penh_day(text: str) -> date:
    return _moment(text).astimezone(PHNOM_PENH).date()


def _whole_years(born: date, on: date) -> int:
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def _band(years: int) -> str:
    return next(
        name for name, low, high in BANDS if years >= low and (high is None or years <= high)
    )


def _commune_of(address: dict | None) -> str | None:
    village = (address or {}).get("village_code")
    return village[:6] if village else None


def _channel_group(channel: str | None, actor: str) -> str:
    if channel == "officer":
        return "commune_office"
    if channel == "web" or actor.startswith("citizen:"):
        return "portal"
    return "other"


def _verified_level(card: dict | None, as_of: date) -> str | None:
    if not card or card.get("level") not in (1, 2) or card.get("self_declared") is True:
        return None
    if not card.get("verified_by") and not card.get("verified_at"):
        return None
    if card.get("expiry"):
        try:
            expired = date.fromisoformat(card["expiry"]) < as_of
        except ValueError:
            expired = True
        if expired:
            return None
    return str(card["level"])


def _application_state(application: dict) -> str | None:
    status = application["status"]
    if status in WAITING:
        return "waiting"
    if status == "enrolled":
        return "paid" if application.get("payments") else "approved"
    if status in ("approved", "refused", "withdrawn"):
        return status
    return None


def _grievance_state(status: str) -> str | None:
    if status in OPEN:
        return "open"
    return status if status in GRIEVANCE_STATE_ORDER else None


def _days_between(start: str, end: str) -> int:
    return max(0, (_phnom_penh_day(end) - _phnom_penh_day(start)).days)


def _new_place(code: str | None) -> dict:
    return {
        "code": code,
        "persons": Counter(),
        "households": 0,
        "channels": Counter(),
        "idpoor": Counter(),
        "applications": Counter(),
        "decision_days": Counter(),
        "grievances": Counter(),
        "deadlines": Counter(),
        "resolution_days": Counter(),
    }


def truth(records: Records, as_of: date) -> dict:
    """The answer of ``/statistics/1.0/counts`` for ``as_of``, without ``computed_at``."""
    places: dict[str | None, dict] = {}

    def place(code: str | None) -> dict:
        return places.setdefault(code, _new_place(code))

    for person in records.persons:
        born = date.fromisoformat(person["birth_date"])
        if person["status"] != "active" or born > as_of:
            continue
        sex = person["sex"] if person["sex"] in ("female", "male") else "other"
        band = _band(_whole_years(born, as_of))
        place(_commune_of(person.get("address")))["persons"][sex, band] += 1

    for household in records.households:
        if household["status"] != "active":
            continue
        here = place(_commune_of(household.get("address")))
        here["households"] += 1
        channel = records.household_channels.get(household["id"])
        here["channels"][_channel_group(channel, household["created_by"])] += 1
        level = _verified_level(household.get("idpoor"), as_of)
        if level:
            here["idpoor"][level] += 1

    for application in records.applications:
        code = application.get("commune_code")
        state = _application_state(application)
        if state:
            place(code)["applications"][application["programme_id"], state] += 1
        decisions = [
            _moment(entry["at"])
            for entry in application.get("history", [])
            if entry["to_status"] in ("approved", "refused")
        ]
        if decisions:
            first = min(decisions).isoformat()
            days = _days_between(application["created_at"], first)
            place(code)["decision_days"][application["programme_id"], days] += 1

    for grievance in records.grievances:
        code = grievance.get("commune_code")
        state = _grievance_state(grievance["status"])
        if state:
            place(code)["grievances"][grievance["category"], state] += 1
        resolve_by = grievance.get("resolve_by")
        due = date.fromisoformat(resolve_by) if resolve_by else None
        if state == "open" and due is not None and due < as_of:
            place(code)["deadlines"]["overdue"] += 1
        decided_at = grievance.get("decided_at")
        if decided_at:
            if due is not None:
                late = _phnom_penh_day(decided_at) > due
                place(code)["deadlines"]["decided_late" if late else "decided_on_time"] += 1
            days = _days_between(grievance["created_at"], decided_at)
            place(code)["resolution_days"][days] += 1

    codes = sorted(places, key=lambda code: "~" if code is None else code)
    return {
        "as_of": as_of.isoformat(),
        "age_bands": [{"id": name, "from": low, "to": high} for name, low, high in BANDS],
        "places": [_present(places[code]) for code in codes],
    }


def _present(counted: dict) -> dict:
    band_order = [name for name, _low, _high in BANDS]
    return {
        "commune_code": counted["code"],
        "persons": [
            {"sex": sex, "age_band": band, "count": counted["persons"][sex, band]}
            for sex in SEX_ORDER
            for band in band_order
            if counted["persons"][sex, band]
        ],
        "households": {
            "total": counted["households"],
            "by_channel": {
                name: counted["channels"][name] for name in ("portal", "commune_office", "other")
            },
            "idpoor_verified": {level: counted["idpoor"][level] for level in ("1", "2")},
        },
        "applications": [
            {"programme_id": programme, "state": state, "count": count}
            for (programme, state), count in sorted(
                counted["applications"].items(),
                key=lambda item: (item[0][0], APPLICATION_STATE_ORDER.index(item[0][1])),
            )
        ],
        "application_decision_days": [
            {"programme_id": programme, "days": days, "count": count}
            for (programme, days), count in sorted(counted["decision_days"].items())
        ],
        "grievances": [
            {"category": category, "state": state, "count": count}
            for (category, state), count in sorted(
                counted["grievances"].items(),
                key=lambda item: (item[0][0], GRIEVANCE_STATE_ORDER.index(item[0][1])),
            )
        ],
        "grievance_deadlines": {
            name: counted["deadlines"][name]
            for name in ("overdue", "decided_on_time", "decided_late")
        },
        "grievance_resolution_days": [
            {"days": days, "count": count}
            for days, count in sorted(counted["resolution_days"].items())
        ],
    }


def truth_from_registry(source, as_of: date, *, headers: dict[str, str] | None = None) -> dict:
    """The truth for ``as_of`` from a registry: a ``RegistryClient`` (its token
    needs registry.read), or an ``httpx.Client`` with ``headers`` carrying a
    bearer token with registry.read and the X-Actor/X-Purpose headers."""
    return truth(read_records(source, headers=headers), as_of)


def comparable(answer: dict) -> dict:
    """The registry's answer without ``computed_at``, to compare with ``truth``."""
    return {key: value for key, value in answer.items() if key != "computed_at"}


def places_by_code(answer: dict) -> dict[str | None, dict]:
    """The places of an answer (or a truth) by commune code (None: no commune)."""
    return {place["commune_code"]: place for place in answer["places"]}
