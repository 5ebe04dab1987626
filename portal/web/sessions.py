"""Server-side sessions: the cookie carries only a random id.

- What a session holds (a sign-in, screener answers, the language) lives in the
  store (portal.web.session_store): Redis, or the portal's database.
- Nothing is stored for a visitor until their session holds something. A page
  with a form only sets the cookie: the form's CSRF token is derived from the
  session id (a keyed hash), not stored.
- `rotate_session()` (at sign-in and sign-out) moves the session to a new id
  and deletes the old record, so a copied cookie becomes anonymous.
- `end_sessions_of(owner)` deletes every session of a staff account (password
  change, deactivation).
- Records expire on their own: after the idle limit for a signed-in session,
  after the absolute limit for a visitor's answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets

import redis
from flask import Flask, current_app, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from portal.database import db
from portal.web.session_store import RedisSessionStore, SessionStore, SqlSessionStore

logger = logging.getLogger("portal.sessions")
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")
CSRF_FIELD = "csrf_token"  # Flask-WTF keeps its secret under this name in the session
OWNER = "owner"  # who the session belongs to, when it may have to be ended from elsewhere
SIGNED_IN = ("citizen", "staff")
_serializer = TaggedJSONSerializer()


def _new_id() -> str:
    return secrets.token_urlsafe(32)


class ServerSession(CallbackDict, SessionMixin):
    """The session of one browser. `sid` is the id in its cookie; a browser
    that sent none gets one only when something needs it (a form's token, or
    something to keep), not on every page it asks for."""

    def __init__(
        self, data: dict | None, sid: str | None, secret: str, *, stored: bool, sent: bool
    ):
        def on_update(self_: ServerSession) -> None:
            self_.modified = True

        super().__init__(data or {}, on_update)
        self._sid = sid
        self.stored = stored  # the store has a record under this id
        self.sent = sent  # the browser already holds this id
        self.ended: list[str] = []  # ids whose records must go
        self.csrf_used = False
        self.modified = False
        self._secret = secret

    @property
    def sid(self) -> str:
        if self._sid is None:
            self._sid = _new_id()
        return self._sid

    # Flask-WTF's secret is derived from the id, never stored.
    def _csrf_secret(self) -> str:
        self.csrf_used = True
        return hmac.new(self._secret.encode(), f"csrf:{self.sid}".encode(), "sha256").hexdigest()

    def __contains__(self, key: object) -> bool:
        return key == CSRF_FIELD or super().__contains__(key)

    def __getitem__(self, key: str):
        if key == CSRF_FIELD:
            return self._csrf_secret()
        return super().__getitem__(key)

    def get(self, key: str, default=None):
        if key == CSRF_FIELD:
            return self._csrf_secret()
        return super().get(key, default)

    def __setitem__(self, key: str, value) -> None:
        if key != CSRF_FIELD:
            super().__setitem__(key, value)

    def rotate(self) -> None:
        """Move to a new id; the old record is deleted when the response goes out."""
        if self.stored:
            self.ended.append(self.sid)
        self._sid = _new_id()
        self.stored = False
        self.sent = False
        self.modified = True


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def key_for(self, app: Flask, sid: str) -> str:
        """What the store knows a session by: a keyed hash of its id."""
        return hmac.new(
            str(app.secret_key).encode(), f"session:{sid}".encode(), hashlib.sha256
        ).hexdigest()

    def open_session(self, app: Flask, request) -> ServerSession:
        secret = str(app.secret_key)
        sid = request.cookies.get(self.get_cookie_name(app), "")
        if not SESSION_ID.fullmatch(sid):
            return ServerSession(None, None, secret, stored=False, sent=False)
        try:
            raw = self.store.load(self.key_for(app, sid))
        except redis.RedisError as error:
            logger.warning("session store unreachable: %s", type(error).__name__)
            raw = None
        data = _serializer.loads(raw) if raw else None
        # An id with no record (a visitor who typed nothing yet, or a session
        # that has ended) is an anonymous session under that id.
        return ServerSession(data, sid, secret, stored=raw is not None, sent=True)

    def save_session(self, app: Flask, session: ServerSession, response) -> None:
        for sid in session.ended:
            self.store.delete(self.key_for(app, sid))
        session.ended.clear()
        data = dict(session)
        if data and (session.modified or not session.stored):
            key = self.key_for(app, session.sid)
            self.store.save(key, _serializer.dumps(data), _lifetime(app, data), data.get(OWNER))
            session.stored = True
        elif not data and session.stored:
            self.store.delete(self.key_for(app, session.sid))
            session.stored = False
        if (data or session.csrf_used) and not session.sent:
            response.set_cookie(
                self.get_cookie_name(app),
                session.sid,
                expires=self.get_expiration_time(app, session),
                httponly=self.get_cookie_httponly(app),
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
                secure=self.get_cookie_secure(app),
                samesite=self.get_cookie_samesite(app),
            )
            session.sent = True
            response.vary.add("Cookie")


def _lifetime(app: Flask, data: dict) -> dt.timedelta:
    if any(kind in data for kind in SIGNED_IN):
        # Refreshed at least once a minute while the person is active.
        return dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    return app.config["PERMANENT_SESSION_LIFETIME"]


def rotate_session() -> None:
    """Give this browser's session a new id and end the old one."""
    session.rotate()


def end_sessions_of(owner: str, app: Flask | None = None, keep_current: bool = False) -> None:
    """End every session of `owner` (e.g. "staff:sok.officer"), this one too unless
    `keep_current`."""
    app = app or current_app
    interface: ServerSessionInterface = app.session_interface
    keep = interface.key_for(app, session.sid) if keep_current else None
    interface.store.delete_owner(owner, keep=keep)


def setup_sessions(app: Flask) -> None:
    url = app.config["REDIS_URL"]
    store = RedisSessionStore(url) if url else SqlSessionStore(db)
    app.session_interface = ServerSessionInterface(store)
