"""Fresh databases for tests that run real processes: a SQLite file, or (with
PORTAL_TEST_DATABASE_URL) a new PostgreSQL database dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")


@contextmanager
def fresh_database(folder: Path, name: str) -> Iterator[str]:
    """The URL of an empty database called after `name`."""
    if not PG_URL:
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    database = f"{name}_{secrets.token_hex(4)}"
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    except Exception as error:
        pytest.fail(f"PostgreSQL at PORTAL_TEST_DATABASE_URL is unusable: {error}")
    try:
        yield make_url(PG_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
