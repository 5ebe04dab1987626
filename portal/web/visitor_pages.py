"""Pages made once and shown to every visitor who has nothing in their session.

The home page, "about the data", the screener's first page and the sign-in
page say the same to every first-time visitor in a language: nothing on them
depends on who is asking. Most visits are such first visits, from phones that
send no cookie. So the page is made once per process, language and address,
and given again.

- A page is given from the store only to a visitor whose session is empty (no
  sign-in, no answers, no message waiting, no language chosen) asking for the
  plain address (no query string) with GET. Everyone else gets the page made
  for them.
- It is kept only when making it wrote nothing in the session.
- A page with a form carries a security token tied to the visitor's session:
  the store keeps the page with a hole where the token was, and each visitor
  gets a token of their own in it.
- While templates reload on change (debug), nothing is kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from portal.i18n import current_language

STORE = "visitor_pages"
# Where the form token goes: random per process, so no page text can hold it.
TOKEN_HOLE = f"token-{secrets.token_hex(16)}"


def same_for_every_visitor(view: Callable[..., str]) -> Callable[..., str]:
    return _kept(view, None)


def same_until_changed(version: Callable[[], object]):
    """Like ``same_for_every_visitor``, for a page whose content changes now and
    then (figures recomputed every hour): kept per ``version()``; when it
    changes, the pages kept of the old version are dropped."""
    return lambda view: _kept(view, version)


def _kept(view: Callable[..., str], version: Callable[[], object] | None) -> Callable[..., str]:
    @wraps(view)
    def page(*args, **kwargs) -> str:
        if not _fits_everyone():
            return view(*args, **kwargs)
        pages: dict[tuple, tuple[str, bool]] = current_app.extensions.setdefault(STORE, {})
        now = version() if version else None
        if version:
            _forget_other_versions(pages, request.endpoint, now)
        key = (request.endpoint, current_language(), request.script_root, request.path, now)
        kept = pages.get(key)
        if kept is not None:
            made, has_token = kept
            return made.replace(TOKEN_HOLE, generate_csrf()) if has_token else made
        made = view(*args, **kwargs)
        if isinstance(made, str) and not session and not session.modified:
            token = g.get("csrf_token")
            if not getattr(session, "csrf_used", False):
                pages[key] = (made, False)
            elif token and token in made:
                pages[key] = (made.replace(token, TOKEN_HOLE), True)
        return made

    return page


def _forget_other_versions(pages: dict, endpoint: str | None, now: object) -> None:
    versions = current_app.extensions.setdefault(STORE + ".versions", {})
    if versions.get(endpoint, now) != now:
        for key in [key for key in pages if key[0] == endpoint and key[-1] != now]:
            pages.pop(key, None)
    versions[endpoint] = now


def _fits_everyone() -> bool:
    return (
        request.method == "GET"
        and not request.query_string
        and not session
        and not current_app.jinja_env.auto_reload
    )
