"""On SQLite, a production portal's own database (sessions, the outbox) waits
for the disk at every commit; the embedded reference registry (development
only) and a development portal do not."""

from __future__ import annotations

from sqlalchemy import text

from portal import create_app
from portal.database import make_engine
from portal.registry.server.db import make_engine as make_registry_engine
from tests.conftest import make_test_config
from tests.web.test_security import PRODUCTION

FULL, NORMAL = 2, 1


def synchronous(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("PRAGMA synchronous")).scalar()


def test_the_portal_database_waits_for_the_disk(tmp_path):
    assert synchronous(make_engine(f"sqlite:///{tmp_path / 'portal.db'}")) == FULL


def test_the_embedded_registry_commits_without_waiting(tmp_path):
    assert synchronous(make_registry_engine(f"sqlite:///{tmp_path / 'registry.db'}")) == NORMAL


def test_a_production_portal_on_sqlite_waits_for_the_disk(tmp_path):
    app = create_app(make_test_config(tmp_path, **PRODUCTION))
    assert synchronous(app.extensions["portal_db"].engine) == FULL


def test_a_development_portal_on_sqlite_does_not(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    assert synchronous(app.extensions["portal_db"].engine) == NORMAL
