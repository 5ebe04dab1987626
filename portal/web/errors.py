"""The one place that turns errors into pages.

- 403, 404, 405, 413, 429 and 500 get a page in the reader's language.
- Too many tries (429) says until when (Phnom Penh time), and `Retry-After`
  carries the same wait.
- A registry that cannot be reached (503) says the service is busy and that
  nothing typed is lost; `Retry-After` is half a minute.
- An expired or missing CSRF token shows the same form again, with what the
  person typed and a fresh token, instead of a dead end. Whatever the view
  raises then (too many tries, the registry busy) gets its own page.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

import redis
from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from werkzeug.exceptions import HTTPException

from portal.extensions import limiter
from portal.registry.client import RegistryForbidden, RegistryNotFound, RegistryUnavailable

logger = logging.getLogger("portal.errors")

RETRY_AFTER_SECONDS = 30
_PAGES = {
    403: "errors/403.html",
    404: "errors/404.html",
    429: "errors/429.html",
    503: "errors/503.html",
}


def error_page(status: int):
    template = _PAGES.get(status, "errors/generic.html")
    response = render_template(template, status=status), status
    if status == 503:
        return response[0], status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return response


def limits_reset_at() -> dt.datetime | None:
    """When this request's exhausted limits per address all allow a try again."""
    try:
        resets = [
            limit.reset_at
            for limit in limiter.current_limits
            if limit.breached or limit.remaining <= 0
        ]
    except (StorageError, redis.RedisError) as error:
        logger.warning("rate-limit storage unreadable: %s", type(error).__name__)
        return None
    return dt.datetime.fromtimestamp(max(resets), dt.UTC) if resets else None


def too_many_tries(error: HTTPException):
    retry_at = limits_reset_at()
    page = render_template("errors/429.html", status=429, retry_at=retry_at)
    if retry_at is None:
        return page, 429
    wait = math.ceil((retry_at - dt.datetime.now(dt.UTC)).total_seconds())
    return page, 429, {"Retry-After": str(max(wait, 1))}


def service_unavailable(error: Exception):
    logger.warning("registry unavailable: %s", type(error).__name__)
    return error_page(503)


def setup_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def show_form_again(error: CSRFError):
        view = app.view_functions.get(request.endpoint or "")
        if request.method != "POST" or not getattr(view, "shows_form_again", False):
            return error_page(400)
        # The view validates again; PortalForm turns the token error into a
        # translated message and the form is shown with what was typed.
        g.csrf_failed = True
        try:
            result = app.make_response(view(**(request.view_args or {})))
        except Exception as raised:  # e.g. the view's rate limit: its own page, not a 500
            return app.make_response(app.handle_user_exception(raised))
        if result.status_code < 400:
            result.status_code = 400
        return result

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_page(error.code or 500)

    app.register_error_handler(429, too_many_tries)

    # Registry errors that reach a view unhandled. Features handle the ones a
    # person can act on (422 onto form fields, 409 to the existing record).
    app.register_error_handler(RegistryUnavailable, service_unavailable)
    app.register_error_handler(RegistryNotFound, lambda error: error_page(404))
    app.register_error_handler(RegistryForbidden, lambda error: error_page(403))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        logger.exception("unhandled error request_id=%s", g.get("request_id", "-"))
        return error_page(500)
