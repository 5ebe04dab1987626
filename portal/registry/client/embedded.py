"""The embedded default: the reference registry in-process, over httpx.WSGITransport.

The full HTTP contract (JSON, status codes, OAuth) without a network hop, on a
SQLite file in the portal's instance folder.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from flask import Flask

from portal.registry.server import create_app
from portal.registry.server.auth import ensure_client

# Loopback name: OAuth2 refuses plain http elsewhere, and no socket is opened anyway.
EMBEDDED_BASE_URL = "http://localhost"


def start_embedded_registry(
    instance_path: str | Path,
    client_id: str,
    client_secret: str,
    scopes: str,
    database_url: str | None = None,
) -> tuple[Flask, httpx.WSGITransport]:
    """Build the registry app, ensure the portal's OAuth client, return app and transport."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{instance / 'registry.db'}"
    app = create_app({"REGISTRY_DATABASE_URL": url, "INSTANCE_PATH": str(instance)})
    with app.extensions["registry.sessions"]() as session:
        ensure_client(session, "portal", client_id, client_secret, scopes.split())
    return app, httpx.WSGITransport(app=app)
