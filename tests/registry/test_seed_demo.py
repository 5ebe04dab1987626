"""``flask registry seed-demo``: a realistic population, and a second run changes
nothing (the households of Kampot that figures by place need: test_seed_places.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from portal import gazetteer
from portal.registry.server.models import (
    AccessLogEntry,
    Application,
    Grievance,
    HistoryEntry,
    Household,
    Person,
)
from portal.registry.server.seed import HOUSEHOLDS, SEED_ACTOR, demo_id
from tests.support.demo_data import (
    CLAIMABLE_BIRTH_DATE,
    CLAIMABLE_HOUSEHOLD_ID,
    CLAIMABLE_NIN,
    CLAIMABLE_PERSON_ID,
    SHARED_PHONE,
    SHARED_PHONE_HOUSEHOLD_ID,
    SHARED_PHONE_MOTHER_ID,
    SHARED_PHONE_SON_ID,
)

PROGRAMME_FILES = Path(gazetteer.__file__).parent / "eligibility" / "programmes"
CONTRACT = Path(gazetteer.__file__).parent / "registry" / "openapi.yaml"


def _snapshot(session) -> dict:
    rows = {}
    for model in (Person, Household, Application, Grievance):
        for row in session.scalars(select(model).where(model.created_by == SEED_ACTOR.actor)):
            rows[row.id] = (row.version, getattr(row, "status", None))
    history = session.scalars(select(HistoryEntry.id).where(HistoryEntry.actor == SEED_ACTOR.actor))
    access = session.scalars(
        select(AccessLogEntry.id).where(AccessLogEntry.actor == SEED_ACTOR.actor)
    )
    return {"rows": rows, "history": len(list(history)), "access": len(list(access))}


def test_seed_demo_is_realistic_and_idempotent(registry_app):
    runner = registry_app.test_cli_runner()
    first = runner.invoke(args=["registry", "seed-demo", "--no-places"])
    assert first.exit_code == 0, first.output
    with registry_app.extensions["registry.sessions"]() as session:
        before = _snapshot(session)
        people = session.scalars(select(Person).where(Person.created_by == SEED_ACTOR.actor)).all()
        households = session.scalars(
            select(Household).where(Household.created_by == SEED_ACTOR.actor)
        ).all()
        applications = session.scalars(
            select(Application).where(Application.created_by == SEED_ACTOR.actor)
        ).all()
        grievances = session.scalars(
            select(Grievance).where(Grievance.created_by == SEED_ACTOR.actor)
        ).all()
        assert len({p.province_code for p in people}) >= 5
        # Nobody is born in the future, and every child is younger than the head.
        assert max(p.birth_date for p in people) <= date.today()
        born = {p.spid: p.birth_date for p in people}
        for household in households:
            members = [m for m in household.data["members"] if m["spid"] in born]
            heads = [born[m["spid"]] for m in members if m["household_status"] == "head"]
            children = [born[m["spid"]] for m in members if m["household_status"] == "child"]
            assert all(child > head for head in heads for child in children)
        assert all(p.data["name_km"]["surname"] and p.data["name"]["surname"] for p in people)
        levels = {(h.data.get("idpoor") or {}).get("level") for h in households}
        assert levels == {1, 2, None}
        assert {a.status for a in applications} == {
            "submitted",
            "received",
            "enrolled",
            "refused",
            "information_requested",
        }
        assert len({g.status for g in grievances}) >= 4
        assert session.get(Household, demo_id("household-0")) is not None

    second = runner.invoke(args=["registry", "seed-demo", "--no-places"])
    assert second.exit_code == 0, second.output
    counts = json.loads(second.output.strip().splitlines()[-1])
    assert counts["created"] == 0
    assert counts["households"] == HOUSEHOLDS + 2  # and none of Kampot's
    with registry_app.extensions["registry.sessions"]() as session:
        assert _snapshot(session) == before


def _seeded(registry_app) -> None:
    result = registry_app.test_cli_runner().invoke(args=["registry", "seed-demo", "--no-places"])
    assert result.exit_code == 0, result.output


def test_one_phone_is_shared_by_a_mother_and_her_son(registry_app, inprocess, actor):
    _seeded(registry_app)
    found = inprocess.search.by_id("MOBILE", SHARED_PHONE, actor=actor, page_size=100)
    by_id = {record["id"]: record for record in found.records}
    mother, son = by_id[SHARED_PHONE_MOTHER_ID], by_id[SHARED_PHONE_SON_ID]
    assert mother["phone_number"] == son["phone_number"] == ["+85512000777"]
    assert [i["identifier_type"] for i in mother["identifier"]] == ["SPID"]  # no national ID
    assert "NIN" in {i["identifier_type"] for i in son["identifier"]}
    assert mother["household_identifier"] == son["household_identifier"]
    assert mother["household_identifier"] == SHARED_PHONE_HOUSEHOLD_ID
    assert (mother["household_status"], son["household_status"]) == ("head", "child")
    assert mother["name_km"]["surname"] and mother["name"]["surname"]


def test_a_registered_person_without_a_phone_can_be_found_to_claim(registry_app, inprocess, actor):
    _seeded(registry_app)
    found = inprocess.search.by_id("NIN", CLAIMABLE_NIN, actor=actor)
    assert [record["id"] for record in found.records] == [CLAIMABLE_PERSON_ID]
    person = found.records[0]
    assert person["birth_date"] == CLAIMABLE_BIRTH_DATE
    assert person.get("phone_number", []) == []
    assert person["household_identifier"] == CLAIMABLE_HOUSEHOLD_ID
    assert person["household_status"] == "head"
    household = inprocess.households.read(CLAIMABLE_HOUSEHOLD_ID, actor=actor)
    assert household["group_size"] == 1
    idpoor = household["idpoor"]
    assert idpoor["level"] == 1 and idpoor["verified_by"] and idpoor["verified_at"]
    assert not idpoor.get("self_declared")


def test_demo_applications_follow_the_apply_and_track_path(registry_app, inprocess, actor):
    _seeded(registry_app)
    programmes = {path.stem for path in PROGRAMME_FILES.glob("*.yaml")}
    by_status = {}
    for number in range(HOUSEHOLDS):
        record = inprocess.applications.read(demo_id(f"application-{number}"), actor=actor)
        assert record["programme_id"] in programmes
        assert re.fullmatch(r"AP-2026-[0-9]{6}", record["reference"])
        assert gazetteer.is_commune(record["commune_code"])
        by_status.setdefault(record["status"], record)
    assert {r["programme_id"] for r in by_status.values()} == {
        "pregnancy_child_cash",
        "elderly_allowance",
        "disability_allowance",
    }
    enrolled = by_status["enrolled"]
    assert [h["to_status"] for h in enrolled["history"]] == [
        "submitted",
        "received",
        "documents_checked",
        "approved",
        "enrolled",
    ]
    assert len(enrolled["payments"]) == 2
    assert all(p["amount_riel"] > 0 for p in enrolled["payments"])
    refused = by_status["refused"]["history"][-1]
    assert (refused["from_status"], refused["reason"]) == ("documents_checked", "documents_missing")
    asked = by_status["information_requested"]["history"][-1]
    assert asked["reason"] == "information_needed"
    assert re.search("[\u1780-\u17ff]", asked["note"])  # in Khmer
    for status in ("submitted", "received", "refused", "information_requested"):
        assert by_status[status]["payments"] == []


# The households of Kampot (seed_demo's places=True, the CLI's default).
