"""Database engine, sessions and migrations of the reference registry."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal import database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """The registry's engine: the portal's engine settings, with a larger pool;
    on SQLite (development), commits that do not wait for the disk."""
    return database.make_engine(url, wait_for_disk=False, pool_size=10, max_overflow=20)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the registry's schema up to ``revision`` by running its Alembic migrations."""
    database.migrate(engine, revision, MIGRATIONS_DIR)
