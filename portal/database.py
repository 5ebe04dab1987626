"""The portal's own small database: operational state only (one-time-code
challenges, staff accounts for the embedded default, the outbox of writes
waiting for the registry). No citizen records live here."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    pass


class Database:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessions: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
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
