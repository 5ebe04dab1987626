"""The portal's migrations build exactly the tables its models describe, on
SQLite and (when PORTAL_TEST_DATABASE_URL is set) PostgreSQL."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import portal.models  # noqa: F401
from portal.database import Base, make_engine, migrate
from tests.conftest import IN_CI


def assert_schema_matches_models(engine):
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrations_match_models_on_sqlite(tmp_path):
    assert_schema_matches_models(make_engine(f"sqlite:///{tmp_path / 'portal.db'}"))


@pytest.mark.postgres
def test_migrations_match_models_on_postgresql():
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        if IN_CI:
            pytest.fail("PORTAL_TEST_DATABASE_URL is required in CI")
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set")
    schema = f"portal_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        assert_schema_matches_models(engine)
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
