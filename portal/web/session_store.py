"""Where server-side sessions live: Redis when PORTAL_REDIS_URL is set, the
portal's own database otherwise.

Both stores are keyed by a keyed hash of the session id (never the id itself),
so a copy of the store gives no session a browser could present. Each record
may name an owner (a staff account), so that every session of that account
can be ended at once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Protocol

import redis
from sqlalchemy import DateTime, Engine, String, Text, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, Database

REDIS_PREFIX = "portal:session:"
REDIS_OWNER_PREFIX = "portal:session-owner:"
PURGE_ONE_SAVE_IN = 200  # the SQL store deletes expired records now and then


class WebSession(Base):
    """One stored session (the embedded default's store)."""

    __tablename__ = "web_sessions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(128), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SessionStore(Protocol):
    def load(self, key: str) -> str | None:
        """The stored data, or None when there is none (or it expired)."""

    def save(self, key: str, data: str, lifetime: dt.timedelta, owner: str | None) -> None:
        """Store or replace the data; it expires after `lifetime` unless saved again."""

    def delete(self, key: str) -> None:
        """Forget the session (nothing happens when there is none)."""

    def delete_owner(self, owner: str, keep: str | None = None) -> None:
        """Forget every session of `owner`, except the one keyed `keep`."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SqlSessionStore:
    """Sessions in the portal's database, through SQLAlchemy Core. A session is
    read on every request that carries a cookie, so that read is compiled once
    per database and sent on a pooled connection of the database's own driver:
    SQLAlchemy's statement machinery cost more than the query."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._table = table = WebSession.__table__
        self._load = select(table.c.data).where(
            table.c.key == bindparam("key"), table.c.expires_at > bindparam("now")
        )
        self._prepared: tuple[Engine, str, Callable[[str], tuple | dict]] | None = None

    def load(self, key: str) -> str | None:
        engine = self._db.engine
        prepared = self._prepared
        if prepared is None or prepared[0] is not engine:
            prepared = self._prepared = self._prepare_load(engine)
        _, query, parameters = prepared
        connection = engine.raw_connection()  # back to the pool (rolled back) on close
        try:
            cursor = connection.cursor()
            cursor.execute(query, parameters(key))
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
        return row[0] if row else None

    def _prepare_load(self, engine: Engine) -> tuple[Engine, str, Callable]:
        """The load query in the driver's SQL and parameter style, and how to
        make its parameters (the time as SQLAlchemy would store it)."""
        compiled = self._load.compile(dialect=engine.dialect)
        stored_time = self._table.c.expires_at.type.bind_processor(engine.dialect)
        order = compiled.positiontup  # None when the driver takes named parameters

        def parameters(key: str) -> tuple | dict:
            now = _utcnow()
            values = {"key": key, "now": stored_time(now) if stored_time else now}
            return tuple(values[name] for name in order) if order else values

        return engine, str(compiled), parameters

    def save(self, key: str, data: str, lifetime: dt.timedelta, owner: str | None) -> None:
        values = {"data": data, "owner": owner, "expires_at": _utcnow() + lifetime}
        replace = update(self._table).where(self._table.c.key == key).values(**values)
        try:
            with self._db.engine.begin() as connection:
                if not connection.execute(replace).rowcount:
                    connection.execute(insert(self._table).values(key=key, **values))
        except IntegrityError:  # a parallel request stored it first: ours is newer
            with self._db.engine.begin() as connection:
                connection.execute(replace)
        if random.randrange(PURGE_ONE_SAVE_IN) == 0:  # noqa: S311 (not security)
            self.purge_expired()

    def delete(self, key: str) -> None:
        with self._db.session() as session:
            session.execute(delete(WebSession).where(WebSession.key == key))
            session.commit()

    def delete_owner(self, owner: str, keep: str | None = None) -> None:
        with self._db.session() as session:
            query = delete(WebSession).where(WebSession.owner == owner)
            if keep is not None:
                query = query.where(WebSession.key != keep)
            session.execute(query)
            session.commit()

    def purge_expired(self) -> None:
        with self._db.session() as session:
            session.execute(delete(WebSession).where(WebSession.expires_at <= _utcnow()))
            session.commit()


class RedisSessionStore:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def load(self, key: str) -> str | None:
        value = self._redis.get(REDIS_PREFIX + key)
        return value.decode() if value is not None else None

    def save(self, key: str, data: str, lifetime: dt.timedelta, owner: str | None) -> None:
        seconds = max(1, int(lifetime.total_seconds()))
        with self._redis.pipeline() as pipe:
            pipe.set(REDIS_PREFIX + key, data, ex=seconds)
            if owner:
                pipe.sadd(REDIS_OWNER_PREFIX + owner, key)
                # The index lives as long as the longest session it may name.
                pipe.expire(REDIS_OWNER_PREFIX + owner, seconds, gt=True)
                pipe.expire(REDIS_OWNER_PREFIX + owner, seconds, nx=True)
            pipe.execute()

    def delete(self, key: str) -> None:
        self._redis.delete(REDIS_PREFIX + key)

    def delete_owner(self, owner: str, keep: str | None = None) -> None:
        index = REDIS_OWNER_PREFIX + owner
        keys = [member.decode() for member in self._redis.smembers(index)]
        doomed = [key for key in keys if key != keep]
        if doomed:
            with self._redis.pipeline() as pipe:
                pipe.delete(*(REDIS_PREFIX + key for key in doomed))
                pipe.srem(index, *doomed)
                pipe.execute()
