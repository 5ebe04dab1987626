"""The portal's registry client: ``build_client(settings)`` → ``RegistryClient``.

With a registry URL it speaks HTTP to that registry; without one it starts the
reference registry in-process (embedded default). It takes its settings
explicitly and uses no Flask globals, so the portal builds it in create_app.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from portal.registry.client.activity import Activity
from portal.registry.client.applications import Applications
from portal.registry.client.base import (
    ALL_SCOPES,
    Actor,
    ConnectionSettings,
    RegistryConnection,
)
from portal.registry.client.change_requests import ChangeRequests
from portal.registry.client.consents import Consents
from portal.registry.client.errors import (
    RegistryConflict,
    RegistryError,
    RegistryForbidden,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryUnauthorized,
    RegistryUnavailable,
    RegistryValidationError,
)
from portal.registry.client.grievances import Grievances
from portal.registry.client.households import Households
from portal.registry.client.persons import Persons
from portal.registry.client.resource import Page, etag_of
from portal.registry.client.search import Search, predicate
from portal.registry.client.statistics import Statistics

__all__ = [
    "Actor",
    "Page",
    "RegistryClient",
    "RegistryConflict",
    "RegistryError",
    "RegistryForbidden",
    "RegistryNotFound",
    "RegistryPreconditionFailed",
    "RegistrySettings",
    "RegistryUnauthorized",
    "RegistryUnavailable",
    "RegistryValidationError",
    "build_client",
    "etag_of",
    "predicate",
]


@dataclass(frozen=True)
class RegistrySettings:
    """What the portal needs to reach its registry.

    ``url`` None → embedded registry on SQLite under ``instance_path`` (with
    ``client_id``/``client_secret`` registered at start; without a secret, one is
    generated once and kept in the instance folder so that every worker process
    shares it). ``url`` set → real HTTP with the given credentials.
    """

    url: str | None = None
    client_id: str = "portal"
    client_secret: str | None = None
    scopes: str = ALL_SCOPES
    sender_id: str = "kh-sp-portal"
    instance_path: str | None = None
    embedded_database_url: str | None = None
    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    retries: int = 2
    breaker_failures: int = 5
    breaker_pause: float = 30.0

    @classmethod
    def from_mapping(cls, config: Mapping, instance_path: str | None = None) -> RegistrySettings:
        """From ``PORTAL_REGISTRY_*`` keys (e.g. a Flask config or ``os.environ``)."""
        return cls(
            url=config.get("PORTAL_REGISTRY_URL") or None,
            client_id=config.get("PORTAL_REGISTRY_CLIENT_ID") or "portal",
            client_secret=config.get("PORTAL_REGISTRY_CLIENT_SECRET") or None,
            scopes=config.get("PORTAL_REGISTRY_SCOPES") or ALL_SCOPES,
            sender_id=config.get("PORTAL_REGISTRY_SENDER_ID") or "kh-sp-portal",
            instance_path=instance_path or config.get("PORTAL_INSTANCE_PATH") or "instance",
            embedded_database_url=config.get("PORTAL_REGISTRY_EMBEDDED_DATABASE_URL")
            or config.get("REGISTRY_DATABASE_URL")
            or None,
            connect_timeout=float(config.get("PORTAL_REGISTRY_CONNECT_TIMEOUT") or 2.0),
            read_timeout=float(config.get("PORTAL_REGISTRY_READ_TIMEOUT") or 10.0),
            retries=int(config.get("PORTAL_REGISTRY_RETRIES") or 2),
        )


class RegistryClient:
    """One object per portal process; each resource is an attribute."""

    def __init__(self, connection: RegistryConnection, sender_id: str) -> None:
        self.connection = connection
        self.persons = Persons(connection)
        self.households = Households(connection)
        self.applications = Applications(connection)
        self.grievances = Grievances(connection)
        self.consents = Consents(connection)
        self.change_requests = ChangeRequests(connection)
        self.search = Search(connection, sender_id)
        self.activity = Activity(connection)
        self.statistics = Statistics(connection)
        self.embedded_app = None

    def close(self) -> None:
        self.connection.close()

    def ping(self) -> None:
        self.connection.ping()

    def failing(self) -> bool:
        """The last calls failed (the circuit breaker counts failures in a row,
        or is open): background work had better wait for its next turn."""
        breaker = self.connection.breaker
        return breaker.opened or breaker.failure_count > 0


def build_client(settings: RegistrySettings) -> RegistryClient:
    """The client for ``settings``: real HTTP when a URL is set, else the embedded registry."""
    if settings.url:
        if not settings.client_secret:
            raise ValueError("PORTAL_REGISTRY_CLIENT_SECRET is required with PORTAL_REGISTRY_URL")
        return _client(settings, settings.url, settings.client_secret, transport=None)
    from portal.registry.client.embedded import EMBEDDED_BASE_URL, start_embedded_registry

    instance = settings.instance_path or str(Path("instance").resolve())
    secret = settings.client_secret or embedded_client_secret(Path(instance))
    app, transport = start_embedded_registry(
        instance, settings.client_id, secret, settings.scopes, settings.embedded_database_url
    )
    client = _client(settings, EMBEDDED_BASE_URL, secret, transport=transport)
    client.embedded_app = app
    return client


def embedded_client_secret(instance: Path) -> str:
    """The embedded client's secret: created once (0600), then read by every worker."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "registry-client-secret"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            secret = path.read_text(encoding="ascii").strip()
            if secret:
                return secret
            time.sleep(0.02)  # another worker is writing it
        raise RuntimeError(f"{path} is empty") from None
    secret = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret)
    return secret


def _client(settings: RegistrySettings, url: str, secret: str, transport) -> RegistryClient:
    connection = RegistryConnection(
        ConnectionSettings(
            base_url=url,
            client_id=settings.client_id,
            client_secret=secret,
            scopes=settings.scopes,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=settings.retries,
            breaker_failures=settings.breaker_failures,
            breaker_pause=settings.breaker_pause,
            transport=transport,
        )
    )
    return RegistryClient(connection, settings.sender_id)
