"""A form's security token, signed at most once a minute per session.

Flask-WTF signs the session's CSRF secret with the time on every page that has
a form: two HMACs, JSON and base64, about 25 µs of a 370 µs question page.
A token signed less than a minute ago is as good as a new one: it is valid for
WTF_CSRF_TIME_LIMIT from its signing, so a reused token still has at least 59
of its 60 minutes, and it is tied to the same session.

Every form token goes through `form_token()`: the `csrf_token()` of templates,
each PortalForm's hidden field (portal.web.forms_base) and the kept pages'
token hole (portal.web.visitor_pages). Flask-WTF still checks every token.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

from portal.web.recently_used import RecentlyUsed
from portal.web.sessions import CSRF_FIELD

STORE = "form_tokens"
REUSE_FOR = 60.0  # seconds
KEPT = 4096  # sessions whose latest token a process remembers


def form_token() -> str:
    """This request's form token: the session's token signed in the last
    minute, or a newly signed one."""
    token = g.get(CSRF_FIELD)  # Flask-WTF's place for the request's token
    if token is not None:
        return token
    secret = session[CSRF_FIELD]  # derived from the session id
    recent: RecentlyUsed = current_app.extensions[STORE]
    kept = recent.get(secret)
    now = time.time()  # the clock the token's own timestamp uses
    if kept is not None and 0 <= now - kept[1] < REUSE_FOR:
        setattr(g, CSRF_FIELD, kept[0])
        return kept[0]
    token = generate_csrf()
    if session.sent:  # a first visit's session may never come back: not kept
        recent.put(secret, (token, now))
    return token


def setup_form_tokens(app: Flask) -> None:
    app.extensions[STORE] = RecentlyUsed(KEPT)
    # Flask-WTF offers its own both ways; the later context processor wins.
    app.jinja_env.globals["csrf_token"] = form_token
    app.context_processor(lambda: {"csrf_token": form_token})
