"""Pages made once and shown to every visitor who has nothing in their session.

The home page, "about the data" and the screener's first page say the same to
every first-time visitor in a language: nothing about them depends on who is
asking. Most visits are such first visits, from phones that send no cookie.
So the page is made once per process, language and address, and given again.

A page is given from the store only to a visitor whose session is empty (no
sign-in, no answers, no message waiting, no language chosen) asking for the
plain address (no query string), and it is kept only when making it wrote
nothing in the session and put no form token in it. Everyone else gets the
page made for them. While templates reload on change (debug), nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app, request, session

from portal.i18n import current_language

STORE = "visitor_pages"


def same_for_every_visitor(view: Callable[..., str]) -> Callable[..., str]:
    @wraps(view)
    def page(*args, **kwargs) -> str:
        if not _fits_everyone():
            return view(*args, **kwargs)
        pages: dict = current_app.extensions.setdefault(STORE, {})
        key = (request.endpoint, current_language(), request.script_root, request.path)
        made = pages.get(key)
        if made is None:
            made = view(*args, **kwargs)
            if isinstance(made, str) and _still_nothing_personal():
                pages[key] = made
        return made

    return page


def _fits_everyone() -> bool:
    return (
        request.method == "GET"
        and not request.query_string
        and not session
        and not current_app.jinja_env.auto_reload
    )


def _still_nothing_personal() -> bool:
    return not session and not session.modified and not getattr(session, "csrf_used", False)
