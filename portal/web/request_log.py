"""One log line per request: request id, method, route, status and duration.

Only the URL rule (e.g. `/applications/<id>`) is logged, never the path's
values, the query string, form data or headers: no personal data in logs.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import time

from flask import Flask, Response, g, request

logger = logging.getLogger("portal.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return g.get("request_id", "-")


class RequestIds:
    """Ids unique across processes (a random prefix drawn in each process, after
    gunicorn forks) and a counter: not a system random call per request."""

    def __init__(self) -> None:
        self._pid = -1
        self._prefix = ""
        self._counter = itertools.count()

    def next(self) -> str:
        if self._pid != os.getpid():
            self._pid, self._prefix = os.getpid(), secrets.token_hex(8)
        return f"{self._prefix}{next(self._counter):016x}"  # 32 hex digits, as a uuid4


_ids = RequestIds()


def setup_request_logging(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"],
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )

    @app.before_request
    def start_request_clock() -> None:
        g.request_started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else _ids.next()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        logger.info(
            "request_id=%s method=%s route=%s status=%s duration_ms=%.1f",
            current_request_id(),
            request.method,
            route,
            response.status_code,
            duration_ms,
        )
        response.headers["X-Request-ID"] = current_request_id()
        return response
