"""The one place that turns errors into pages.

- 403, 404, 405, 413, 429 and 500 get a page in the reader's language.
- A registry that cannot be reached (503) says the service is busy and that
  nothing typed is lost.
- An expired or missing CSRF token shows the same form again, with what the
  person typed and a fresh token, instead of a dead end.
"""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.registry.client import RegistryForbidden, RegistryNotFound, RegistryUnavailable

logger = logging.getLogger("portal.web.errors")

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
        result = app.make_response(view(**(request.view_args or {})))
        if result.status_code < 400:
            result.status_code = 400
        return result

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_page(error.code or 500)

    # Registry errors that reach a view unhandled. Features handle the ones a
    # person can act on (422 onto form fields, 409 to the existing record).
    app.register_error_handler(RegistryUnavailable, service_unavailable)
    app.register_error_handler(RegistryNotFound, lambda error: error_page(404))
    app.register_error_handler(RegistryForbidden, lambda error: error_page(403))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        logger.exception("unhandled error request_id=%s", g.get("request_id", "-"))
        return error_page(500)
