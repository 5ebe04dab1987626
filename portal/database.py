"""The portal's own small database: operational state only (one-time-code
challenges, staff accounts for the embedded default, the outbox of writes
waiting for the registry). No citizen records live here.

The schema comes from Alembic migrations (`portal/migrations/`). In
development and tests the portal runs them at start; in production it never
does (`flask --app portal db upgrade` is a deployment step).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    pass


def make_engine(url: str, *, wait_for_disk: bool = True, **pool_options) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys.

    With `wait_for_disk=False`, SQLite commits with synchronous=NORMAL, as its
    documentation advises with WAL: a commit does not wait for the disk. A
    crash of the process loses nothing committed; a power cut may lose the last
    commits, never the file. The embedded reference registry (development
    only) uses it: 2 ms of its 5 ms reads went to that wait; so does the
    portal's own database outside production. In production, where it holds
    sessions and the outbox, every commit waits for the disk.

    Shared by the portal's database and the reference registry's."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        if not wait_for_disk:
            event.listen(engine, "connect", _commit_without_waiting_for_disk)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool_options)


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _commit_without_waiting_for_disk(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: Engine, revision: str = "head", migrations: Path = MIGRATIONS_DIR) -> None:
    """Bring a schema up to `revision` with Alembic (the portal's migrations by default)."""
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["engine"] = engine
    command.upgrade(config, revision)


class Database:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessions: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        # Outside production (SQLite on a developer's machine) a power cut may
        # lose the last sessions; in production every commit waits for the disk.
        production = app.config["PORTAL_ENV"] == "production"
        self.engine = make_engine(app.config["DATABASE_URL"], wait_for_disk=production)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if app.config["PORTAL_ENV"] != "production":
            migrate(self.engine)
        app.extensions["portal_db"] = self

    def session(self) -> Session:
        assert self.sessions is not None, "Database.init_app() was not called"
        return self.sessions()

    def ping(self) -> None:
        """Raise if the database cannot answer."""
        assert self.engine is not None
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))


db = Database()
