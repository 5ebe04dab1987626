"""``flask registry seed-demo``: a realistic population, and a second run changes nothing."""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.registry.server.models import (
    AccessLogEntry,
    Application,
    Grievance,
    HistoryEntry,
    Household,
    Person,
)
from portal.registry.server.seed import SEED_ACTOR, demo_id


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
    first = runner.invoke(args=["registry", "seed-demo"])
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
        assert all(p.data["name_km"]["surname"] and p.data["name"]["surname"] for p in people)
        levels = {(h.data.get("idpoor") or {}).get("level") for h in households}
        assert levels == {1, 2, None}
        assert {a.status for a in applications} >= {
            "submitted",
            "in_review",
            "approved",
            "rejected",
        }
        assert len({g.status for g in grievances}) >= 4
        assert session.get(Household, demo_id("household-0")) is not None

    second = runner.invoke(args=["registry", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output.strip().splitlines()[-1])["created"] == 0
    with registry_app.extensions["registry.sessions"]() as session:
        assert _snapshot(session) == before
