"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from portal.registry.server.models import Base


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
