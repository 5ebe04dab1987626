"""HTTP transport to the registry: tokens, deadlines, retries, a circuit
breaker, logging, error mapping.

- Retries (with exponential backoff) happen only for calls that are safe to
  repeat: search, read, exists, list, and update-or-create with the same id.
- Every call, retry and token fetch fits in the current deadline
  (portal.registry.client.deadline); no lock is held while waiting for the network.
- A circuit breaker (the `circuitbreaker` library) opens after a run of failed
  calls: while it is open, calls fail at once with RegistryUnavailable instead
  of each waiting for a registry that is down; after a pause it lets calls
  through again to probe it.
- Each call is logged with its route, status, duration and request id; bodies,
  which carry personal data, are never logged.
"""

from __future__ import annotations

import logging
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from circuitbreaker import CircuitBreaker

from portal.registry.client.deadline import seconds_left
from portal.registry.client.errors import (
    RegistryError,
    RegistryUnauthorized,
    RegistryUnavailable,
    error_for_status,
)

with warnings.catch_warnings():
    # Authlib 1.9 warns that it prefers the httpx2 fork; plain httpx is supported.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

log = logging.getLogger("portal.registry.client")

ALL_SCOPES = "registry.search registry.read registry.write grievance.manage registry.statistics"
TOKEN_PATH = "/oauth2/client/token"  # noqa: S105 (a path, not a secret)
_RETRY_STATUSES = {502, 503, 504}
TOO_LITTLE_TIME = 0.05  # seconds: not worth starting a call with less time left


@dataclass(frozen=True)
class Actor:
    """Who acts, for whom, why, and through which channel: sent as X-Actor,
    X-On-Behalf-Of, X-Purpose and (when set) X-Channel."""

    actor: str
    purpose: str
    on_behalf_of: str | None = None
    channel: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "X-Actor": self.actor,
            "X-On-Behalf-Of": self.on_behalf_of or "",
            "X-Purpose": self.purpose,
        }
        if self.channel:
            headers["X-Channel"] = self.channel
        return headers


@dataclass(frozen=True)
class ConnectionSettings:
    """How to reach the registry and authenticate to it."""

    base_url: str
    client_id: str
    client_secret: str
    scopes: str = ALL_SCOPES
    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.2
    token_leeway: int = 60
    breaker_failures: int = 5  # failed calls in a row that open the circuit
    breaker_pause: float = 30.0  # seconds the circuit stays open before probing
    transport: httpx.BaseTransport | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Answer:
    """A successful response: status, JSON body and ETag."""

    status: int
    body: dict
    etag: str | None
    request_id: str


class RegistryConnection:
    """One authenticated, pooled HTTP connection to the registry (thread-safe)."""

    def __init__(self, settings: ConnectionSettings) -> None:
        self.settings = settings
        self._timeout = timeout = httpx.Timeout(
            settings.read_timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
        )
        extra = {"transport": settings.transport} if settings.transport is not None else {}
        self._http = OAuth2Client(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scope=settings.scopes,
            token_endpoint=settings.base_url.rstrip("/") + TOKEN_PATH,
            grant_type="client_credentials",
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106
            leeway=settings.token_leeway,
            base_url=settings.base_url,
            timeout=timeout,
            **extra,
        )
        self.breaker = CircuitBreaker(
            failure_threshold=settings.breaker_failures,
            recovery_timeout=settings.breaker_pause,
            expected_exception=RegistryUnavailable,
            name=f"registry {settings.base_url}",
        )

    def close(self) -> None:
        self._http.close()

    def ping(self) -> None:
        """Raise RegistryUnavailable unless the registry answers its health check."""
        try:
            response = self._http.request(
                "GET", "/healthz", withhold_token=True, timeout=self._time_left()
            )
        except httpx.HTTPError as error:
            raise RegistryUnavailable(f"Health check: {type(error).__name__}") from None
        if response.status_code != 200:
            raise RegistryUnavailable(f"Health check answered {response.status_code}")

    def _time_left(self) -> httpx.Timeout:
        """The timeouts for the next network wait: the deadline's rest, if sooner."""
        left = seconds_left()
        if left is None:
            return self._timeout
        if left < TOO_LITTLE_TIME:
            raise RegistryUnavailable("No time left for the registry in this request")
        connect = min(self.settings.connect_timeout, left)
        return httpx.Timeout(min(self.settings.read_timeout, left), connect=connect, pool=connect)

    def _ensure_token(self) -> None:
        """Fetch a token when there is none or it is about to expire.

        No lock: when several threads find the token stale at once, each fetches
        one (rare, and cheap), and none waits behind another's network call."""
        token = self._http.token
        if token is not None and not token.is_expired(leeway=self.settings.token_leeway):
            return
        self._renew_token()

    def _renew_token(self) -> None:
        try:
            self._http.fetch_token(grant_type="client_credentials", timeout=self._time_left())
        except OAuthError as error:
            raise RegistryUnauthorized(f"Token refused: {error.error}", status=401) from None
        except httpx.HTTPError as error:
            raise RegistryUnavailable(f"Token endpoint: {type(error).__name__}") from None

    def call(
        self,
        method: str,
        path: str,
        *,
        actor: Actor | None,
        json: dict | Callable[[], dict] | None = None,
        params: dict | None = None,
        if_match: str | None = None,
        idempotent: bool,
        route: str | None = None,
    ) -> Answer:
        """Send one request; retry it only when ``idempotent``; map errors to exceptions.

        ``json`` may be a function, called once per attempt (DCI needs a new
        message id each time a search is sent).
        """
        headers = actor.headers() if actor else {}
        if if_match is not None:
            headers["If-Match"] = if_match
        attempts = 1 + (self.settings.retries if idempotent else 0)
        for attempt in range(attempts):
            request_id = uuid.uuid4().hex
            try:
                body = json() if callable(json) else json
                return self._through_breaker(method, path, headers, body, params, request_id, route)
            except RegistryUnavailable:
                pause = self.settings.backoff * 2**attempt
                left = seconds_left()
                if attempt + 1 == attempts or self.breaker.opened:
                    raise
                if left is not None and left < pause + TOO_LITTLE_TIME:
                    raise
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _through_breaker(self, *request) -> Answer:
        if self.breaker.opened:
            raise RegistryUnavailable("The registry failed just now; not asking it again yet")
        self._time_left()  # raises first when no time is left: not the registry's failure
        return self.breaker.call(self._send, *request)

    def _send(self, method, path, headers, json, params, request_id, route) -> Answer:
        self._ensure_token()
        response = self._request(method, path, headers, json, params, request_id, route)
        if response.status_code == 401:
            # The registry refused a token this client thought still good (its
            # clock, the token's whole seconds, or a revoked token): one new
            # token, and the request once more. A 401 means nothing was done.
            self._renew_token()
            response = self._request(method, path, headers, json, params, request_id, route)
        if response.status_code >= 400:
            raise _error(response, request_id)
        return Answer(
            status=response.status_code,
            body=response.json(),
            etag=response.headers.get("ETag"),
            request_id=request_id,
        )

    def _request(self, method, path, headers, json, params, request_id, route) -> httpx.Response:
        started = time.perf_counter()
        label = route or path
        try:
            response = self._http.request(
                method,
                path,
                json=json,
                params=params,
                headers={**headers, "X-Request-ID": request_id},
                timeout=self._time_left(),
            )
        except httpx.HTTPError as error:
            duration = (time.perf_counter() - started) * 1000
            log.warning(
                "registry %s %s failed %s %.1fms request_id=%s",
                method,
                label,
                type(error).__name__,
                duration,
                request_id,
            )
            raise RegistryUnavailable(
                f"Registry unreachable: {type(error).__name__}", request_id=request_id
            ) from None
        duration = (time.perf_counter() - started) * 1000
        log.info(
            "registry %s %s %s %.1fms request_id=%s",
            method,
            label,
            response.status_code,
            duration,
            request_id,
        )
        return response


def _error(response: httpx.Response, request_id: str) -> RegistryError:
    try:
        errors = response.json().get("errors", [])
    except ValueError:
        errors = []
    if not isinstance(errors, list):
        errors = []
    status = response.status_code
    message = errors[0].get("message", "") if errors else f"HTTP {status}"
    exception = error_for_status(status)
    if status in _RETRY_STATUSES or status >= 500:
        exception = RegistryUnavailable
    return exception(message, status=status, errors=errors, request_id=request_id)
