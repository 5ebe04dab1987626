"""Pages made once and given again to every visitor they fit.

The home page, "about the data", the screener's first page and the sign-in
page say the same to every first-time visitor in a language: nothing on them
depends on who is asking. Most visits are such first visits, from phones that
send no cookie. So the page is made once per process, language and address,
and given again (`same_for_every_visitor`).

The screener's pages depend on the answers only: a question page on its
question, the answer already given to it and the question before it; the
check-answers and results pages on all the answers and the day. Every visitor
with the same answers gets the same page, so it is kept per those inputs
(`same_for_same_answers`), a bounded number per process.

- A page is given from the store only to a visitor whose session holds nothing
  but screener answers and a chosen language (no sign-in, no message waiting)
  and, for first-visit pages, nothing at all, asking for the plain address (no
  query string) with GET. Everyone else gets the page made for them.
- It is kept only when making it wrote nothing in the session.
- A page with a form carries a security token tied to the visitor's session:
  the store keeps the page with a hole where the token was, and each visitor
  gets a token of their own in it. A page without one is also kept compressed
  (portal.extensions.Compress), so it is not compressed again for every visit.
- While templates reload on change (debug), nothing is kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from functools import wraps

from flask import current_app, g, request, session

from portal.i18n import current_language
from portal.web.form_tokens import form_token
from portal.web.recently_used import RecentlyUsed
from portal.web.sessions import CSRF_FIELD

STORE = "visitor_pages"
ANSWER_STORE = "answer_pages"
# Where the form token goes: random per process, so no page text can hold it.
TOKEN_HOLE = f"token-{secrets.token_hex(16)}"
# What a screener visitor's session may hold for their pages to be kept.
SCREENER_ONLY = frozenset({"screener", "lang"})
# How many pages a process keeps (the least recently given goes first): every
# first-visit page (a commune's figures included), and the screener's pages of
# the answers seen lately.
KEPT = {STORE: 8192, ANSWER_STORE: 512}


def same_for_every_visitor(view: Callable[..., str]) -> Callable[..., str]:
    return _kept(view, _empty_session, None)


def same_until_changed(version: Callable[[], object]):
    """Like ``same_for_every_visitor``, for a page whose content changes now and
    then (figures recomputed every hour): kept per ``version()``; when it
    changes, the pages kept of the old version are dropped."""
    return lambda view: _kept(
        view, _empty_session, lambda *_args, **_kwargs: version(), versioned=True
    )


def same_for_same_answers(inputs: Callable[..., Hashable]):
    """For a screener page: kept per ``inputs(**view_arguments)``, which must
    name everything the page shows besides its address and language (and be
    cheap: it runs on every visit)."""
    return lambda view: _kept(view, _screener_only, inputs, store=ANSWER_STORE)


def _kept(view, fits: Callable[[], bool], inputs, store: str = STORE, versioned: bool = False):
    @wraps(view)
    def page(*args, **kwargs) -> str:
        if not (_plain_get() and fits()):
            return view(*args, **kwargs)
        pages = _pages(store)
        extra = None
        if inputs is not None:
            extra = inputs(*args, **kwargs)
            if versioned:  # pages of the other versions are dropped
                _forget_other_versions(pages, request.endpoint, extra)
        key = (request.endpoint, current_language(), request.script_root, request.path, extra)
        kept = pages.get(key)
        if kept is None:
            made = view(*args, **kwargs)
            if not isinstance(made, str) or session.modified or not fits():
                return made
            kept = _with_hole(made)
            if kept is None:
                return made
            pages.put(key, kept)
        made, has_token = kept
        if has_token:
            return made.replace(TOKEN_HOLE, form_token())
        g.kept_page = (store, key)  # the same bytes every time: compressed once
        return made

    return page


def _with_hole(made: str) -> tuple[str, bool] | None:
    """The page as kept: its token (if any) replaced by the hole."""
    if not getattr(session, "csrf_used", False):
        return made, False
    token = g.get(CSRF_FIELD)
    if token and token in made:
        return made.replace(token, TOKEN_HOLE), True
    return None


def _pages(store: str) -> RecentlyUsed:
    pages = current_app.extensions.get(store)
    if pages is None:
        pages = current_app.extensions.setdefault(store, RecentlyUsed(KEPT[store]))
    return pages


def _forget_other_versions(pages: RecentlyUsed, endpoint: str | None, now: object) -> None:
    versions = current_app.extensions.setdefault(STORE + ".versions", {})
    if versions.get(endpoint, now) != now:
        pages.drop(lambda key: key[0] == endpoint and key[-1] != now)
    versions[endpoint] = now


def _plain_get() -> bool:
    return (
        request.method == "GET"
        and not request.query_string
        and not current_app.jinja_env.auto_reload
    )


def _empty_session() -> bool:
    return not session


def _screener_only() -> bool:
    return SCREENER_ONLY.issuperset(session.keys())
