"""The demo households of Kampot that figures by place need (seed_places.py),
seeded here in a database of their own so that the other registry tests stay small."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import mean

import pytest
import yaml
from sqlalchemy import func, select

from portal import gazetteer
from portal.local_time import local_day
from portal.registry.server.contract import schema_validator
from portal.registry.server.models import (
    AccessLogEntry,
    Application,
    Grievance,
    HistoryEntry,
    Household,
    Person,
    PersonPhone,
)
from portal.registry.server.record_kinds import RECORD_KINDS
from portal.registry.server.seed import SEED_ACTOR
from tests.registry.conftest import build_registry_app
from tests.support.databases import fresh_database
from tests.support.demo_data import (
    FIGURES_COMMUNES,
    FIGURES_DISTRICT,
    FIGURES_DISTRICTS,
    FIGURES_HOUSEHOLDS,
    FIGURES_OTHER_DISTRICT,
    FIGURES_PROVINCE,
)

PROGRAMME_FILES = Path(gazetteer.__file__).parent / "eligibility" / "programmes"
CONTRACT = Path(gazetteer.__file__).parent / "registry" / "openapi.yaml"

OPEN = {"received", "acknowledged", "investigating", "reopened"}
ALL_CATEGORIES = yaml.safe_load(CONTRACT.read_text())["components"]["schemas"]["GrievanceFields"][
    "properties"
]["category"]["enum"]
WAITING = {"submitted", "received", "information_requested", "documents_checked"}


@pytest.fixture(scope="module")
def places_app(tmp_path_factory, worker_id):
    """A registry of its own with the whole demo, seeded once with the CLI's defaults."""
    folder = tmp_path_factory.mktemp("places")
    with fresh_database(folder, f"registry_places_{worker_id}") as url:
        app = build_registry_app(url, folder)
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["registry", "seed-demo"])
        assert result.exit_code == 0, result.output
        assert time.perf_counter() - started < 60
        yield app
        app.extensions["registry.engine"].dispose()


def _in_kampot(session, model, column) -> list:
    return list(session.scalars(select(model).where(column.startswith(FIGURES_PROVINCE))))


def _places(session) -> dict:
    return {
        "persons": _in_kampot(session, Person, Person.village_code),
        "households": _in_kampot(session, Household, Household.village_code),
        "applications": _in_kampot(session, Application, Application.commune_code),
        "grievances": _in_kampot(session, Grievance, Grievance.commune_code),
    }


def _history(session, records: dict) -> dict[str, list[HistoryEntry]]:
    ids = [row.id for rows in records.values() for row in rows]
    entries: dict[str, list[HistoryEntry]] = {}
    query = select(HistoryEntry).where(HistoryEntry.record_id.in_(ids)).order_by(HistoryEntry.id)
    for entry in session.scalars(query):
        entries.setdefault(entry.record_id, []).append(entry)
    return entries


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_places_population_is_as_designed_and_a_second_run_changes_nothing(places_app):
    with places_app.extensions["registry.sessions"]() as session:
        records = _places(session)
        history = _history(session, records)
        before = {
            row.id: (row.version, row.status, _utc(row.created_at), row.data)
            for rows in records.values()
            for row in rows
        }
        entries = {i: [(e.id, _utc(e.at)) for e in es] for i, es in history.items()}
        access = session.scalar(select(func.count()).select_from(AccessLogEntry))
        households = records["households"]
        assert all(h.status == "active" for h in households)
        by_commune = Counter(h.village_code[:6] for h in households)
        assert by_commune == {FIGURES_COMMUNES[c]: n for c, n in FIGURES_HOUSEHOLDS.items()}
        for letter, code in FIGURES_COMMUNES.items():
            district = FIGURES_OTHER_DISTRICT if letter == "D" else FIGURES_DISTRICT
            assert code.startswith(district) and gazetteer.is_commune(code)
        assert FIGURES_DISTRICTS == {"X": FIGURES_DISTRICT, "Y": FIGURES_OTHER_DISTRICT}
        sizes = [len(h.data["members"]) for h in households]
        assert min(sizes) == 1 and max(sizes) == 7 and 4 <= mean(sizes) <= 5
        assert sum(sizes) == len(records["persons"])

    second = places_app.test_cli_runner().invoke(args=["registry", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output.strip().splitlines()[-1])["created"] == 0
    with places_app.extensions["registry.sessions"]() as session:
        records = _places(session)
        assert before == {
            row.id: (row.version, row.status, _utc(row.created_at), row.data)
            for rows in records.values()
            for row in rows
        }
        again = _history(session, records)
        assert entries == {i: [(e.id, _utc(e.at)) for e in es] for i, es in again.items()}
        assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == access


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_the_people_of_kampot_are_of_all_ages_and_collide_with_nobody(places_app):
    today = date.today()
    with places_app.extensions["registry.sessions"]() as session:
        people = _in_kampot(session, Person, Person.village_code)
        others = session.scalars(
            select(Person).where(~Person.village_code.startswith(FIGURES_PROVINCE))
        ).all()
        households = _in_kampot(session, Household, Household.village_code)
        phones = session.execute(select(PersonPhone.person_id, PersonPhone.e164)).all()
    ages = [_age(p.birth_date, today) for p in people]
    assert max(p.birth_date for p in people) <= today
    assert min(ages) == 0 and max(ages) >= 80
    assert sum(a < 6 for a in ages) >= 20 and sum(6 <= a < 18 for a in ages) >= 40
    assert sum(a >= 60 for a in ages) >= 20 and sum(a >= 80 for a in ages) >= 3
    assert {p.sex for p in people} == {"female", "male"}
    assert all(p.data["name_km"]["surname"] and p.data["name"]["given_name"] for p in people)
    # A child is younger than the head, and registered after being born.
    born = {p.spid: p.birth_date for p in people}
    for household in households:
        members = household.data["members"]
        head = [born[m["spid"]] for m in members if m["household_status"] == "head"]
        assert len(head) == 1
        assert all(born[m["spid"]] > head[0] for m in members if m["household_status"] == "child")
    assert all(p.birth_date < _utc(p.registration_date).date() for p in people)
    # National IDs and phones of their own: none is the rest of the demo's.
    nins = [p.nin for p in people if p.nin]
    assert len(nins) > 100 and len(set(nins)) == len(nins)
    assert not set(nins) & {p.nin for p in others}
    kampot = {p.id for p in people}
    mine = {e164 for person, e164 in phones if person in kampot}
    assert len(mine) > 50 and not mine & {e164 for person, e164 in phones if person not in kampot}
    assert all(_age(p.birth_date, today) >= 18 for p in people if p.data["phone_number"])


def _idpoor(household: Household, today: date) -> str:
    card = household.data.get("idpoor")
    if not card:
        return "none"
    if card.get("self_declared"):
        return f"self-declared {card['level']}"
    assert card["verified_by"] and card["verified_at"]
    if date.fromisoformat(card["expiry"]) < today:
        return "expired"
    return f"verified {card['level']}"


def test_households_are_registered_three_ways_with_every_kind_of_card(places_app):
    today = date.today()
    with places_app.extensions["registry.sessions"]() as session:
        records = _places(session)
        history = _history(session, records)
    cards = Counter(_idpoor(h, today) for h in records["households"])
    assert set(cards) == {"none", "verified 1", "verified 2", "self-declared 2", "expired"}
    assert cards["expired"] == 1 and min(cards.values()) >= 1
    channels = Counter()
    for household in records["households"]:
        created = history[household.id][0]
        assert (created.kind, created.from_status, created.to_status) == (
            "status_change",
            None,
            "active",
        )
        if created.channel == "officer":
            assert created.actor.startswith("officer:demo-commune-")
            channels["commune_office"] += 1
        elif created.actor == "citizen:unregistered":
            channels["portal"] += 1
        else:
            assert created.actor == SEED_ACTOR.actor
            channels["other"] += 1
    assert set(channels) == {"commune_office", "portal", "other"}
    assert all(20 <= count <= 30 for count in channels.values()), channels


def _days(history: list[HistoryEntry], statuses: set[str], created: datetime) -> int:
    decided = next(e.at for e in history if e.to_status in statuses)
    return (local_day(_utc(decided)) - local_day(_utc(created))).days


def test_applications_are_in_every_state_and_took_days_to_decide(places_app):
    today = date.today()
    with places_app.extensions["registry.sessions"]() as session:
        records = _places(session)
        history = _history(session, records)
        communes = {p.spid: p.commune_code for p in records["persons"]}
    applications = records["applications"]
    groups = Counter()
    for application in applications:
        assert application.commune_code == communes[application.applicant_spid]
        paid = application.data.get("payments") or []
        if application.status in WAITING:
            groups["waiting"] += 1
        elif application.status == "enrolled" and paid:
            groups["paid"] += 1
            enrolled = local_day(_utc(history[application.id][-1].at))
            assert all(enrolled < date.fromisoformat(p["paid_on"]) < today for p in paid)
        elif application.status in ("approved", "enrolled"):
            groups["approved"] += 1
        else:
            groups[application.status] += 1
        moments = [_utc(e.at) for e in history[application.id]]
        assert moments == sorted(moments) and moments[0] == _utc(application.created_at)
        assert len({local_day(m) for m in moments}) == len(moments)  # a day for each step
        assert local_day(moments[-1]) < today
        if application.status in ("approved", "enrolled", "refused"):
            days = _days(history[application.id], {"approved", "refused"}, moments[0])
            assert 3 <= days <= 60
    assert set(groups) == {"waiting", "approved", "paid", "refused", "withdrawn"}
    assert min(groups.values()) >= 3, groups
    assert {a.status for a in applications} >= WAITING | {"approved", "enrolled"}
    two = Counter(a.data["household_id"] for a in applications)
    assert 2 in two.values()


def test_grievances_cover_every_category_and_state_some_late(places_app):
    today = date.today()
    with places_app.extensions["registry.sessions"]() as session:
        records = _places(session)
        history = _history(session, records)
    grievances = records["grievances"]
    assert {g.category for g in grievances} == set(ALL_CATEGORIES)
    groups = Counter("open" if g.status in OPEN else g.status for g in grievances)
    assert set(groups) == {"open", "resolved", "rejected", "closed"}
    overdue = [g for g in grievances if g.status in OPEN and g.resolve_by < today]
    assert overdue and len(overdue) < len(grievances) / 2
    on_time = late = 0
    for grievance in grievances:
        created = _utc(grievance.created_at)
        assert grievance.commune_code in FIGURES_COMMUNES.values()
        assert grievance.resolve_by == local_day(created) + timedelta(days=30) or (
            grievance.status == "reopened"
        )
        moments = [_utc(e.at) for e in history[grievance.id]]
        assert moments == sorted(moments) and moments[0] == created
        if grievance.decided_at is None:
            assert grievance.status in OPEN - {"reopened"}
            continue
        decided = local_day(_utc(grievance.decided_at))
        assert grievance.data["decided_at"] and local_day(grievance.data["decided_at"]) == decided
        assert 3 <= _days(history[grievance.id], {"resolved", "rejected"}, created) <= 60
        assert 3 <= (decided - local_day(created)).days <= 60
        on_time += decided <= local_day(created) + timedelta(days=30)
        late += decided > local_day(created) + timedelta(days=30)
    assert on_time >= 3 and late >= 3
    assert any(g.data["complainant"]["anonymous"] for g in grievances)


def test_the_records_of_kampot_follow_the_contract(places_app):
    schemas = {
        "persons": "Person",
        "households": "Household",
        "applications": "Application",
        "grievances": "Grievance",
    }
    with places_app.extensions["registry.sessions"]() as session:
        for name, rows in _places(session).items():
            validator = schema_validator(schemas[name])
            for row in rows:
                record = RECORD_KINDS[name].present(session, row)
                assert not list(validator.iter_errors(record)), (name, record)
