"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from portal.registry.server.db import MIGRATIONS_DIR, make_engine, migrate
from portal.registry.server.models import Base
from tests.support.databases import fresh_database


def test_migrated_schema_matches_the_models(registry_app):
    engine = registry_app.extensions["registry.engine"]
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_search_path_has_an_index(registry_app):
    inspector = inspect(registry_app.extensions["registry.engine"])
    indexed = {
        (table, tuple(index["column_names"]))
        for table in ("persons", "person_phones", "household_members")
        for index in inspector.get_indexes(table)
    }
    unique = {
        (table, tuple(constraint["column_names"]))
        for table in ("persons",)
        for constraint in inspector.get_unique_constraints(table)
    }
    assert ("persons", ("spid",)) in unique
    assert ("persons", ("nin",)) in unique
    assert ("person_phones", ("e164",)) in indexed
    assert ("household_members", ("household_id",)) in indexed
    for column in ("birth_date", "province_code", "district_code", "commune_code"):
        assert ("persons", (column,)) in indexed
    assert ("persons", ("village_code",)) in indexed
    assert ("persons", ("registration_date",)) in indexed


@pytest.mark.postgres
def test_the_dedup_key_is_in_byte_order_on_postgresql(registry_app):
    """Search by Khmer name is a prefix match on this key: only a "C" index serves it
    in every database (a range in another collation would miss people)."""
    engine = registry_app.extensions["registry.engine"]
    with engine.connect() as connection:
        collation = connection.execute(
            text(
                "SELECT collation_name FROM information_schema.columns"
                " WHERE table_name = 'persons' AND column_name = 'dedup_key'"
            )
        ).scalar_one()
    assert collation == "C"


def _old_application(connection, status: str, created_at: datetime) -> str:
    """An application as the registry kept it before revision 0003."""
    record_id = str(uuid.uuid4())
    data = {"programme_id": "elderly_allowance", "applicant_spid": "12345678901", "facts": {}}
    connection.execute(
        text(
            "INSERT INTO applications (id, version, data, created_at, updated_at, created_by,"
            " updated_by, status, programme_id, applicant_spid) VALUES (:id, 1, :data, :at, :at,"
            " 'test', 'test', :status, 'elderly_allowance', '12345678901')"
        ),
        {"id": record_id, "data": json.dumps({**data, "status": status}), "at": created_at,
         "status": status},
    )  # fmt: skip
    for before, after in ((None, "submitted"), ("submitted", status)):
        connection.execute(
            text(
                "INSERT INTO history_entries (record_type, record_id, kind, from_status,"
                " to_status, actor, at) VALUES ('applications', :id, 'status_change', :before,"
                " :after, 'test', :at)"
            ),
            {"id": record_id, "before": before, "after": after, "at": created_at},
        )
    return record_id


def _applications(connection) -> dict[str, tuple]:
    rows = connection.execute(text("SELECT id, status, data, reference FROM applications"))
    found = {}
    for record_id, status, data, reference in rows:
        document = data if isinstance(data, dict) else json.loads(data)
        steps = connection.execute(
            text(
                "SELECT from_status, to_status FROM history_entries"
                " WHERE record_id = :id ORDER BY id"
            ),
            {"id": record_id},
        ).all()
        found[record_id] = (status, document["status"], reference, [tuple(s) for s in steps])
    return found


def test_existing_applications_get_a_reference_and_the_new_state_names(tmp_path):
    with fresh_database(tmp_path, "migration_0003") as url:
        engine = make_engine(url)
        try:
            migrate(engine, "0002")
            at = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)
            with engine.begin() as connection:
                ids = {
                    status: _old_application(connection, status, at)
                    for status in ("in_review", "needs_information", "rejected", "approved")
                }
            migrate(engine)
            with engine.connect() as connection:
                found = _applications(connection)
            for old, new in (
                ("in_review", "received"),
                ("needs_information", "information_requested"),
                ("rejected", "refused"),
                ("approved", "approved"),
            ):
                reference = f"AP-2025-{uuid.UUID(ids[old]).int % 1_000_000:06d}"
                steps = [(None, "submitted"), ("submitted", new)]
                assert found[ids[old]] == (new, new, reference, steps)

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["engine"] = engine
            command.downgrade(config, "0002")
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT id, status FROM applications")).all()
            assert dict(rows) == {record_id: status for status, record_id in ids.items()}
            migrate(engine)
        finally:
            engine.dispose()


def _old_grievance(connection, status: str, category: str, reference: str, at: datetime) -> str:
    """A grievance as the registry kept it before revision 0004."""
    record_id = str(uuid.uuid4())
    data = {
        "category": category,
        "description": "old",
        "channel": "web",
        "complainant": {"anonymous": False, "contact_phone": "+85512345678"},
        "commune_code": "010201",
        "resolve_by": "2025-12-03",
        "acknowledge_by": "2025-11-10",
        "status": status,
    }
    connection.execute(
        text(
            "INSERT INTO grievances (id, version, data, created_at, updated_at, created_by,"
            " updated_by, status, category, commune_code, reference) VALUES (:id, 1, :data,"
            " :at, :at, 'test', 'test', :status, :category, '010201', :reference)"
        ),
        {"id": record_id, "data": json.dumps(data), "at": at, "status": status,
         "category": category, "reference": reference},
    )  # fmt: skip
    connection.execute(
        text(
            "INSERT INTO history_entries (record_type, record_id, kind, from_status,"
            " to_status, actor, at) VALUES ('grievances', :id, 'status_change', 'received',"
            " :status, 'test', :at)"
        ),
        {"id": record_id, "status": status, "at": at},
    )
    return record_id


def test_existing_grievances_become_cases_with_due_dates(tmp_path):
    with fresh_database(tmp_path, "migration_0004") as url:
        engine = make_engine(url)
        try:
            migrate(engine, "0003")
            at = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)
            with engine.begin() as connection:
                handled = _old_grievance(connection, "in_progress", "payment", "GRV-7KQ4-M2XP", at)
                escalated = _old_grievance(connection, "escalated", "fraud", "GRV-2345-6789", at)
            migrate(engine)
            with engine.connect() as connection:
                rows = connection.execute(
                    text(
                        "SELECT id, status, reference, contact_phone, confidential, resolve_by,"
                        " escalated_at FROM grievances"
                    )
                ).all()
                steps = connection.execute(
                    text("SELECT to_status FROM history_entries WHERE record_type = 'grievances'")
                ).all()
            found = {row[0]: row[1:] for row in rows}
            for record_id in (handled, escalated):
                status, reference, phone, _confidential, resolve_by, _escalated = found[record_id]
                assert status == "investigating" and phone == "+85512345678"
                assert reference == f"GR-2025-{uuid.UUID(record_id).int % 1_000_000:06d}"
                assert str(resolve_by) == "2025-12-03"
            assert not found[handled][3] and found[handled][5] is None
            assert found[escalated][3] and found[escalated][5] is not None
            assert {step for (step,) in steps} == {"investigating"}
            # Two old grievances may now share a reference.
            with engine.begin() as connection:
                _old_grievance(connection, "received", "other", found[handled][1], at)

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["engine"] = engine
            command.downgrade(config, "0003")
            with engine.connect() as connection:
                statuses = connection.execute(text("SELECT id, status FROM grievances")).all()
            assert dict(statuses)[handled] == dict(statuses)[escalated] == "in_progress"
            migrate(engine)
        finally:
            engine.dispose()
