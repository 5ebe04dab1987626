"""The portal's one registry client, built on first use from the settings.

Built lazily so that starting the portal (and every test that never reaches
the registry) does not start the embedded registry.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from flask import Flask, current_app, g

from portal.outbox.jobs import register_job
from portal.registry.client import RegistryClient, RegistrySettings, build_client, deadline

_lock = threading.Lock()
EXCHANGE_EVERY = dt.timedelta(seconds=10)


def setup_registry(app: Flask) -> None:
    config = app.config
    app.extensions["registry_settings"] = RegistrySettings(
        url=config["REGISTRY_URL"] or None,
        client_id=config["REGISTRY_CLIENT_ID"],
        client_secret=config["REGISTRY_CLIENT_SECRET"] or None,
        instance_path=config["INSTANCE_PATH"],
        embedded_database_url=config["REGISTRY_DATABASE_URL"],
    )
    app.extensions["readiness_checks"]["registry"] = lambda: registry().ping()
    seconds = float(config["REGISTRY_DEADLINE"])

    @app.before_request
    def start_registry_deadline() -> None:
        g.registry_deadline = deadline.start(seconds)

    @app.teardown_request
    def end_registry_deadline(_error=None) -> None:
        token = g.pop("registry_deadline", None)
        if token is not None:
            deadline.end(token)

    # httpx logs whole URLs at INFO, and registry URLs carry record ids.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not config["REGISTRY_URL"]:
        # The embedded registry's asynchronous answers and callbacks go out
        # with the portal's outbox worker: no process of their own.
        register_job(app, "registry-exchange", EXCHANGE_EVERY, lambda: run_exchange(app))


def run_exchange(app: Flask) -> str:
    """One pass of the embedded registry's exchange runner: answer its
    asynchronous searches, deliver its callbacks (DCI operators)."""
    from portal.registry.server.exchange import outcome_line, run_once

    embedded = registry(app).embedded_app
    if embedded is None:
        return "the registry is not embedded"
    return outcome_line(run_once(embedded))


def registry(app: Flask | None = None) -> RegistryClient:
    """The app's registry client (HTTP, or the embedded registry in-process)."""
    app = app or current_app
    client = app.extensions.get("registry")
    if client is None:
        with _lock:
            client = app.extensions.get("registry")
            if client is None:
                client = build_client(app.extensions["registry_settings"])
                app.extensions["registry"] = client
    return client
