"""``GET /statistics/1.0/counts``: the registry's counts equal the truth worked
out another way from the records (tests/support/figures_truth.py), on records
made here to cover every group and on the demo population; the scope, the
actor headers, a bad ``as_of`` and the contract."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from portal import gazetteer
from portal.local_time import today
from portal.registry.client import Actor, RegistryForbidden
from portal.registry.server.contract import schema_validator
from portal.registry.server.models import AccessLogEntry, Application, Grievance, HistoryEntry
from portal.registry.server.seed import seed_demo
from portal.registry.server.statistics_queries import years_before
from tests.registry.conftest import actor_headers, make_client, new_credentials, token_for
from tests.registry.factories import household_content, new_id, person_content
from tests.support.figures_truth import (
    comparable,
    places_by_code,
    read_records,
    truth,
    truth_from_registry,
)

STATS = Actor(actor="system:figures-job", purpose="public-figures")
OFFICE = Actor(actor="staff:statistics-test", purpose="statistics-test")
REVIEWER = Actor(actor="staff:statistics-reviewer", purpose="statistics-test")
# Pailin: no other test and no demo record lives there.
CANDIDATE_COMMUNES = [c.code for d in gazetteer.districts("24") for c in gazetteer.communes(d.code)]
P1, P2 = "family-package", "elderly_allowance"


def years_ago(years: int, on: date) -> str:
    return years_before(on, years).isoformat()


def _backdate(registry_app, model, record_id: str, days: int) -> None:
    """Move a record's creation ``days`` back, straight in the database."""
    with registry_app.extensions["registry.sessions"]() as session:
        created = session.scalar(select(model.created_at).where(model.id == record_id))
        session.execute(
            update(model)
            .where(model.id == record_id)
            .values(created_at=created - timedelta(days=days))
        )
        session.commit()


def _add_creation_entry(registry_app, household_id: str, actor: str, channel: str) -> None:
    with registry_app.extensions["registry.sessions"]() as session:
        session.add(
            HistoryEntry(
                record_type="households",
                record_id=household_id,
                kind="status_change",
                from_status=None,
                to_status="active",
                actor=actor,
                at=datetime.now(UTC) + timedelta(seconds=1),
                channel=channel,
            )
        )
        session.commit()


def _fresh_commune(registry) -> str:
    counted = places_by_code(registry.statistics.counts(actor=STATS))
    for code in CANDIDATE_COMMUNES:
        if (
            code not in counted
            and not registry.persons.list(actor=OFFICE, page_size=0, village_code=code).count
        ):
            return code
    raise AssertionError("no commune of Pailin is free")


class Made:
    """Records in one commune that cover every group, and a few with no commune."""

    def __init__(self, registry_app, registry) -> None:
        self.app, self.registry = registry_app, registry
        self.today = today()
        self.commune = _fresh_commune(registry)
        villages = [v.code for v in gazetteer.villages(self.commune)]
        self.village, self.other_village = villages[0], villages[-1]
        self._people()
        self._households()
        self._applications()
        self._grievances()

    def person(self, years: int, sex: str, village: str | None = None, **extra) -> dict:
        content = person_content(
            **{
                "birth_date": years_ago(years, self.today),
                "sex": sex,
                "address": {"village_code": village or self.village},
                **extra,
            }
        )
        return self.registry.persons.create(content, actor=OFFICE)

    def _people(self) -> None:
        t = self.today
        self.baby = self.person(1, "female")
        self.child = self.person(6, "male")  # 6 today
        self.heads = {
            "officer": self.person(30, "female"),
            "web": self.person(18, "female"),  # 18 today
            "citizen": self.person(40, "unknown"),
            "seed": self.person(45, "male"),
            "gone": self.person(60, "male"),  # 60 today
            "officer-2": self.person(62, "other", self.other_village),
        }
        # 29 February: 17 on 28 February 2022, 18 on 1 March 2022.
        self.leap = self.person(0, "female", birth_date="2004-02-29")
        left = self.person(50, "female")
        self.registry.persons.update(left["id"], {"status": "inactive"}, actor=OFFICE)
        no_address = person_content(birth_date=years_ago(33, t), sex="male")
        del no_address["address"]
        self.registry.persons.create(no_address, actor=OFFICE)

    def _households(self) -> None:
        t = self.today
        verified = {"verified_by": "officer:idpoor", "verified_at": "2025-01-10T09:00:00+07:00"}
        officer = Actor(actor="officer:statistics-test", purpose="register", channel="officer")
        next_year = (t + timedelta(365)).isoformat()
        plans = [
            ("officer", officer, {"level": 1, **verified, "expiry": next_year}),
            ("web", Actor(actor="staff:web", purpose="register", channel="web"),
             {"level": 2, "verified_at": verified["verified_at"]}),
            ("citizen", Actor(actor=f"citizen:{uuid.uuid4().hex[:8]}", purpose="register"),
             {"level": 2, "self_declared": True}),
            ("seed", OFFICE, {"level": 1, **verified, "expiry": (t - timedelta(1)).isoformat()}),
            ("gone", OFFICE, {"level": 1, **verified}),
            ("officer-2", officer, {"level": 2, **verified, "expiry": t.isoformat()}),
        ]  # fmt: skip
        for name, actor, idpoor in plans:
            head = self.heads[name]
            members = [(head["spid"], "head")]
            if name == "officer":
                members.append((self.baby["spid"], "child"))
            village = head["address"]["village_code"]
            content = household_content(
                members,
                address={"village_code": village},
                idpoor={"card_number": "IDP-S", **idpoor},
            )
            household = self.registry.households.create(content, actor=actor)
            if name == "web":  # a later entry as if created again: the earliest counts
                _add_creation_entry(self.app, household["id"], "officer:import", "officer")
            if name == "gone":
                self.registry.households.update(
                    household["id"], {"status": "inactive"}, actor=OFFICE
                )

    def application(self, programme: str, path: list[str], backdate: int = 0, **last) -> None:
        content = {
            "id": new_id(),
            "programme_id": programme,
            "applicant_spid": self.heads["officer"]["spid"],
            "facts": {},
            "channel": "web",
        }
        record = self.registry.applications.create(content, actor=OFFICE)
        if backdate:
            _backdate(self.app, Application, record["id"], backdate)
        for index, status in enumerate(path):
            changes = {"status": status, **(last if index == len(path) - 1 else {})}
            self.registry.applications.update(record["id"], changes, actor=REVIEWER, reason="test")

    def _applications(self) -> None:
        payment = {
            "id": new_id(),
            "paid_on": self.today.isoformat(),
            "period": self.today.strftime("%Y-%m"),
            "amount_riel": 40000,
        }
        decided = ["documents_checked", "approved"]
        self.application(P1, [])
        self.application(P1, ["information_requested"])
        self.application(P1, decided, backdate=12)
        self.application(P1, [*decided, "enrolled"], backdate=5)
        self.application(P1, [*decided, "enrolled"], backdate=5, payments=[payment])
        self.application(P2, ["documents_checked", "refused"], backdate=20)
        self.application(P2, ["withdrawn"])
        self.application(P2, decided)

    def grievance(
        self, category: str, path: list[str], backdate: int = 0, commune: bool = True, **content
    ) -> None:
        body = {
            "id": new_id(),
            "category": category,
            "description": "test",
            "channel": "web",
            "complainant": {"anonymous": True},
            **({"commune_code": self.commune} if commune else {}),
            **content,
        }
        record = self.registry.grievances.create(body, actor=OFFICE)
        if backdate:
            _backdate(self.app, Grievance, record["id"], backdate)
        for status in path:
            self.registry.grievances.update(record["id"], {"status": status}, actor=REVIEWER)

    def _grievances(self) -> None:
        past = (self.today - timedelta(3)).isoformat()
        self.grievance("payment", [], resolve_by=past)  # open, overdue
        self.grievance("payment", ["acknowledged"])  # open
        self.grievance("registration", ["resolved"], backdate=9)  # on time, 9 days
        self.grievance("registration", ["rejected"], backdate=40, resolve_by=past)  # late
        self.grievance("eligibility", ["resolved", "closed"])
        self.grievance("eligibility", ["rejected", "appealed"])
        self.grievance("payment", ["resolved", "reopened"])  # open again, decided once
        self.grievance("payment", [], commune=False)


@pytest.fixture(scope="module")
def made(registry_app, inprocess) -> Made:
    return Made(registry_app, inprocess)


def test_counts_equal_the_truth_on_the_records_made_here(made, inprocess):
    records = read_records(inprocess)
    t = made.today
    for as_of in (t, t + timedelta(400), date(2022, 2, 28), date(2022, 3, 1), date(1990, 1, 1)):
        answer = inprocess.statistics.counts(actor=STATS, as_of=as_of)
        assert comparable(answer) == truth(records, as_of), as_of


def test_the_commune_made_here_counts_as_designed(made, inprocess):
    answer = inprocess.statistics.counts(actor=STATS)
    assert answer["as_of"] == made.today.isoformat()
    place = places_by_code(answer)[made.commune]
    assert place["persons"] == [
        {"sex": "female", "age_band": "0_5", "count": 1},
        {"sex": "female", "age_band": "18_59", "count": 3},
        {"sex": "male", "age_band": "6_17", "count": 1},
        {"sex": "male", "age_band": "18_59", "count": 1},
        {"sex": "male", "age_band": "60_plus", "count": 1},
        {"sex": "other", "age_band": "18_59", "count": 1},
        {"sex": "other", "age_band": "60_plus", "count": 1},
    ]
    assert place["households"] == {
        "total": 5,
        "by_channel": {"portal": 2, "commune_office": 2, "other": 1},
        "idpoor_verified": {"1": 1, "2": 2},
    }
    assert place["applications"] == [
        {"programme_id": P2, "state": "approved", "count": 1},
        {"programme_id": P2, "state": "refused", "count": 1},
        {"programme_id": P2, "state": "withdrawn", "count": 1},
        {"programme_id": P1, "state": "waiting", "count": 2},
        {"programme_id": P1, "state": "approved", "count": 2},
        {"programme_id": P1, "state": "paid", "count": 1},
    ]
    assert place["application_decision_days"] == [
        {"programme_id": P2, "days": 0, "count": 1},
        {"programme_id": P2, "days": 20, "count": 1},
        {"programme_id": P1, "days": 5, "count": 2},
        {"programme_id": P1, "days": 12, "count": 1},
    ]
    assert place["grievances"] == [
        {"category": "eligibility", "state": "closed", "count": 1},
        {"category": "eligibility", "state": "appealed", "count": 1},
        {"category": "payment", "state": "open", "count": 3},
        {"category": "registration", "state": "resolved", "count": 1},
        {"category": "registration", "state": "rejected", "count": 1},
    ]
    assert place["grievance_deadlines"] == {"overdue": 1, "decided_on_time": 4, "decided_late": 1}
    assert place["grievance_resolution_days"] == [
        {"days": 0, "count": 3},
        {"days": 9, "count": 1},
        {"days": 40, "count": 1},
    ]
    assert answer["places"][-1]["commune_code"] is None  # no commune: last
    codes = [p["commune_code"] for p in answer["places"][:-1]]
    assert codes == sorted(codes)


def test_a_person_born_on_29_february_is_a_year_older_on_1_march(made, inprocess):
    def teenage_girls(as_of: date) -> int:
        place = places_by_code(inprocess.statistics.counts(actor=STATS, as_of=as_of))[made.commune]
        return sum(
            row["count"]
            for row in place["persons"]
            if (row["sex"], row["age_band"]) == ("female", "6_17")
        )

    assert teenage_girls(date(2022, 2, 28)) == teenage_girls(date(2022, 3, 1)) + 1
    assert years_before(date(2022, 2, 28), 18) == date(2004, 2, 28)
    assert years_before(date(2024, 2, 29), 18) == date(2006, 2, 28)


def test_counts_equal_the_truth_on_the_demo_population(registry_app, inprocess, http, credentials):
    with registry_app.extensions["registry.sessions"]() as session:
        seed_demo(session)
    records = read_records(inprocess)
    for as_of in (today(), date(2027, 1, 1)):
        answer = inprocess.statistics.counts(actor=STATS, as_of=as_of)
        assert comparable(answer) == truth(records, as_of), as_of
        schema_validator("StatisticsCounts").validate(answer)
    # The same truth read over plain HTTP (as a test without the portal's client would).
    headers = actor_headers(token_for(http, credentials))
    assert truth_from_registry(http, today(), headers=headers) == truth(records, today())


@pytest.mark.postgres
def test_counts_equal_the_truth_on_postgresql(registry_app, made, inprocess):
    assert registry_app.extensions["registry.engine"].dialect.name == "postgresql"
    answer = inprocess.statistics.counts(actor=STATS)
    assert comparable(answer) == truth(read_records(inprocess), made.today)


def test_the_answer_follows_the_contract_and_is_not_in_any_access_log(
    made, registry_app, inprocess
):
    with registry_app.extensions["registry.sessions"]() as session:
        logged = session.scalar(select(func.count()).select_from(AccessLogEntry))
    answer = inprocess.statistics.counts(actor=STATS)
    schema_validator("StatisticsCounts").validate(answer)
    moment = datetime.fromisoformat(answer["computed_at"])
    assert moment.tzinfo is not None
    assert abs(moment - datetime.now(UTC)) < timedelta(minutes=1)
    with registry_app.extensions["registry.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == logged


def test_without_the_statistics_scope_it_is_403(registry_app, http, actor):
    credentials = new_credentials(registry_app, ["registry.search", "registry.read"])
    headers = actor_headers(token_for(http, credentials))
    response = http.get("/statistics/1.0/counts", headers=headers)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "err.request.forbidden"
    client = make_client(
        credentials, "http://localhost", transport=httpx.WSGITransport(app=registry_app)
    )
    with pytest.raises(RegistryForbidden):
        client.statistics.counts(actor=actor)
    client.close()


def test_it_needs_a_token_and_the_actor_headers(registry_app, http, credentials):
    assert http.get("/statistics/1.0/counts", headers=actor_headers()).status_code == 401
    token = token_for(http, credentials, scope="registry.statistics")
    bare = http.get("/statistics/1.0/counts", headers={"Authorization": f"Bearer {token}"})
    assert bare.status_code == 400
    assert bare.json()["errors"][0]["code"] == "err.actor.missing"
    assert http.get("/statistics/1.0/counts", headers=actor_headers(token)).status_code == 200


@pytest.mark.parametrize(
    "as_of",
    [
        "",
        "yesterday",
        "2026-13-01",
        "2026-02-30",
        "20261129",
        "2026-11-29T00:00:00+07:00",
        "1899-12-31",
        "2201-01-01",
        "2026-11-29%00",
        "%00",
        "២០២៦-១១-២៩",
    ],
)
def test_a_bad_as_of_is_refused_with_the_error_body(http, credentials, as_of):
    headers = actor_headers(token_for(http, credentials, scope="registry.statistics"))
    response = http.get(f"/statistics/1.0/counts?as_of={as_of}", headers=headers)
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["code"], error["field"]) == ("err.validation", "as_of")


@pytest.mark.parametrize("as_of", ["1900-01-01", "2200-12-31"])
def test_the_first_and_last_days_allowed(http, credentials, as_of):
    headers = actor_headers(token_for(http, credentials, scope="registry.statistics"))
    response = http.get(f"/statistics/1.0/counts?as_of={as_of}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["as_of"] == as_of
