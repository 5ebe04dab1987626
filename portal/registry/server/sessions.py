"""One SQLAlchemy session per request, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker


def request_session() -> Session:
    """The current request's session (created on first use)."""
    if "registry_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["registry.sessions"]
        g.registry_session = factory()
    return g.registry_session


def setup_sessions(app: Flask, factory: sessionmaker[Session]) -> None:
    app.extensions["registry.sessions"] = factory

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("registry_session", None)
        if session is not None:
            session.close()
