"""The portal's one registry client, built on first use from the settings.

Built lazily so that starting the portal (and every test that never reaches
the registry) does not start the embedded registry.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, g

from portal.registry.client import RegistryClient, RegistrySettings, build_client, deadline

_lock = threading.Lock()


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
