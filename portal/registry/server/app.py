"""The reference registry's Flask application."""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from pathlib import Path

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import gazetteer
from portal.registry.server import contract
from portal.registry.server.api import api
from portal.registry.server.auth import setup_oauth
from portal.registry.server.cli import registry_cli, registry_client_cli
from portal.registry.server.db import make_engine, make_session_factory, migrate
from portal.registry.server.dci_api import dci_api
from portal.registry.server.dci_async import dci_async
from portal.registry.server.dci_subscriptions_api import dci_subscriptions_api
from portal.registry.server.errors import register_error_handlers
from portal.registry.server.sessions import setup_sessions
from portal.registry.server.signing_keys_api import signing_keys_api

log = logging.getLogger("portal.registry.server.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
MAX_BODY_BYTES = 256 * 1024


def create_app(config: dict | None = None) -> Flask:
    """Build the registry app. ``config`` overrides settings from the environment.

    Settings: ``REGISTRY_DATABASE_URL`` (default: SQLite file ``registry.db`` in the
    instance folder), ``REGISTRY_AUTO_MIGRATE`` (default: on for SQLite only),
    ``REGISTRY_TOKEN_TTL`` (seconds, default 900), ``REGISTRY_ID`` (DCI sender id),
    ``REGISTRY_PROXY_FIX`` (number of TLS-terminating proxies in front; OAuth2 needs https).
    ``REGISTRY_SIGNING_KEY`` / ``REGISTRY_SIGNING_KEY_ID``: see ``registry_key``.
    """
    config = dict(config or {})
    app = Flask("portal.registry.server", instance_path=config.pop("INSTANCE_PATH", None))
    setup_config(app, config)
    engine = make_engine(app.config["REGISTRY_DATABASE_URL"])
    if app.config["REGISTRY_AUTO_MIGRATE"]:
        migrate(engine)
    app.extensions["registry.engine"] = engine
    setup_sessions(app, make_session_factory(engine))
    setup_oauth(app)
    setup_request_log(app)
    register_error_handlers(app)
    app.register_blueprint(api)
    app.register_blueprint(dci_subscriptions_api)
    app.register_blueprint(signing_keys_api)
    app.register_blueprint(dci_api)
    app.register_blueprint(dci_async)
    if app.config["REGISTRY_PROXY_FIX"]:
        hops = app.config["REGISTRY_PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.cli.add_command(registry_cli)
    app.cli.add_command(registry_client_cli)
    # Once per process, here rather than in the first requests (which would
    # each wait a second for them).
    contract.prepare()
    gazetteer.load()
    return app


def setup_config(app: Flask, overrides: dict) -> None:
    default_url = f"sqlite:///{Path(app.instance_path) / 'registry.db'}"
    url = overrides.get("REGISTRY_DATABASE_URL") or os.environ.get(
        "REGISTRY_DATABASE_URL", default_url
    )
    if url == default_url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        REGISTRY_DATABASE_URL=url,
        REGISTRY_AUTO_MIGRATE=url.startswith("sqlite"),
        REGISTRY_TOKEN_TTL=int(os.environ.get("REGISTRY_TOKEN_TTL", "900")),
        REGISTRY_ID=os.environ.get("REGISTRY_ID", "kh-social-protection-registry"),
        REGISTRY_SIGNING_KEY=os.environ.get("REGISTRY_SIGNING_KEY", ""),
        REGISTRY_SIGNING_KEY_ID=os.environ.get("REGISTRY_SIGNING_KEY_ID", "registry-1"),
        REGISTRY_PROXY_FIX=int(os.environ.get("REGISTRY_PROXY_FIX", "0")),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    app.config.update(overrides)
    app.json.ensure_ascii = False
    app.json.sort_keys = False


def setup_request_log(app: Flask) -> None:
    """One log line per request: route template, status, duration, request id; no data."""

    @app.before_request
    def start_timer() -> None:
        supplied = request.headers.get("X-Request-ID", "")
        g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        duration_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        log.info(
            "%s %s %s %.1fms request_id=%s",
            request.method,
            route,
            response.status_code,
            duration_ms,
            g.get("request_id", ""),
        )
        return response
