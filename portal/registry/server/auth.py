"""OAuth2 client credentials (Authlib) and scope checks on the registry's routes.

Clients are created with ``flask registry-client create`` and deactivated with
``flask registry-client deactivate``. Secrets and tokens are random 256-bit
values, so they are stored as SHA-256 digests. A request with no, unknown,
expired or revoked token, or a token of a deactivated client, gets 401; one
whose token lacks the operation's scope gets 403, both with the DCI error body.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator, InsufficientScopeError
from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.registry.server.errors import ApiError
from portal.registry.server.models import OAuthClient, OAuthToken
from portal.registry.server.safe_text import text_problem
from portal.registry.server.sessions import request_session

SCOPES = (
    "registry.search",
    "registry.read",
    "registry.write",
    "grievance.manage",
    "registry.statistics",
)
_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class RegistryClient(ClientMixin):
    """Authlib's view of an OAuth client row."""

    def __init__(self, row: OAuthClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = self.row.scopes.split()
        if not scope:
            return " ".join(allowed)
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(self.row.secret_hash, digest(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in _AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class IssuedToken(TokenMixin):
    """A snapshot of a stored token (plain values, safe to share between threads).

    A token of a deactivated client counts as revoked."""

    def __init__(self, row: OAuthToken, client_active: bool) -> None:
        self.client_id = row.client_id
        self.scope = row.scope
        self.expires_at = row.issued_at + row.expires_in
        self.expires_in = row.expires_in
        self.revoked = row.revoked or not client_active

    def check_client(self, client: RegistryClient) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(_AUTH_METHODS)


class DatabaseTokenValidator(BearerTokenValidator):
    """Finds tokens by digest, with their client's state; a valid one is remembered
    in-process for a short while, which saves a query on most requests (a revocation
    or a client's deactivation takes up to that long)."""

    REMEMBER_SECONDS = 2
    REMEMBER_AT_MOST = 10_000

    def __init__(self) -> None:
        super().__init__()
        self._remembered: dict[str, tuple[float, IssuedToken]] = {}
        self._lock = threading.Lock()

    def authenticate_token(self, token_string: str) -> IssuedToken | None:
        key = digest(token_string)
        now = time.time()
        with self._lock:
            remembered = self._remembered.get(key)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        found = (
            request_session()
            .execute(
                select(OAuthToken, OAuthClient.active)
                .join(OAuthClient, OAuthClient.client_id == OAuthToken.client_id)
                .where(OAuthToken.token_hash == key)
            )
            .first()
        )
        if found is None:
            return None
        token = IssuedToken(*found)
        if not token.is_revoked() and not token.is_expired():
            until = min(now + self.REMEMBER_SECONDS, token.expires_at)
            with self._lock:
                if len(self._remembered) >= self.REMEMBER_AT_MOST:
                    self._remembered.clear()
                self._remembered[key] = (until, token)
        return token


def _query_client(client_id: str) -> RegistryClient | None:
    if text_problem(client_id):
        return None
    row = request_session().get(OAuthClient, client_id)
    return RegistryClient(row) if row is not None and row.active else None


def _save_token(token: dict, request) -> None:
    session = request_session()
    session.add(
        OAuthToken(
            token_hash=digest(token["access_token"]),
            client_id=request.client.get_client_id(),
            scope=token.get("scope", ""),
            issued_at=int(time.time()),
            expires_in=int(token["expires_in"]),
            revoked=False,
        )
    )
    session.commit()


@dataclass(frozen=True)
class Caller:
    """The OAuth client making the request, and what its token allows."""

    client_id: str
    scopes: frozenset[str]


def setup_oauth(app: Flask) -> None:
    app.config.setdefault(
        "OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": app.config["REGISTRY_TOKEN_TTL"]}
    )
    server = AuthorizationServer(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(ClientCredentialsGrant)
    protector = ResourceProtector()
    protector.register_token_validator(DatabaseTokenValidator())
    app.extensions["registry.oauth_server"] = server
    app.extensions["registry.resource_protector"] = protector


def token_response():
    server: AuthorizationServer = current_app.extensions["registry.oauth_server"]
    try:
        return server.create_token_response()
    except OAuth2Error as error:
        # Raised before Authlib's own handling, e.g. plain http to a non-loopback host
        # (terminate TLS in front of the registry and set REGISTRY_PROXY_FIX).
        return server.handle_error_response(None, error)


def authorize(*scopes: str) -> Caller:
    """The caller, if its bearer token is valid and has one of ``scopes``."""
    protector: ResourceProtector = current_app.extensions["registry.resource_protector"]
    try:
        token: IssuedToken = protector.acquire_token(list(scopes))
    except InsufficientScopeError as error:
        needed = " or ".join(scopes)
        raise ApiError(403, "err.request.forbidden", f"This needs scope {needed}.") from error
    except OAuth2Error as error:
        unauthorized = ApiError(
            401, "err.request.unauthorized", "A valid bearer token is required."
        )
        unauthorized.headers["WWW-Authenticate"] = 'Bearer realm="registry"'
        raise unauthorized from error
    return Caller(client_id=token.client_id, scopes=frozenset(token.get_scope().split()))


def create_client(session: Session, name: str, scopes: list[str]) -> dict[str, str]:
    """Register an OAuth client; returns its id and secret (shown once)."""
    credentials = {"client_id": secrets.token_hex(16), "client_secret": secrets.token_urlsafe(32)}
    ensure_client(session, name, credentials["client_id"], credentials["client_secret"], scopes)
    return credentials


def ensure_client(
    session: Session, name: str, client_id: str, client_secret: str, scopes: list[str]
) -> None:
    """Create or refresh a client with exactly these credentials and scopes."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(unknown)}")
    row = session.get(OAuthClient, client_id)
    same_name = session.scalar(select(OAuthClient).where(OAuthClient.name == name))
    if same_name is not None and same_name.client_id != client_id:
        raise ValueError(f"a client named {name!r} already exists")
    if row is None:
        row = OAuthClient(client_id=client_id, created_at=datetime.now(UTC))
        session.add(row)
    row.name = name
    row.secret_hash = digest(client_secret)
    row.scopes = " ".join(scopes)
    row.active = True
    session.commit()


def deactivate_client(session: Session, name: str) -> dict[str, str | int]:
    """Refuse the client's token requests and revoke its tokens; returns what was done."""
    row = session.scalar(select(OAuthClient).where(OAuthClient.name == name))
    if row is None:
        raise ValueError(f"no client is named {name!r}")
    row.active = False
    revoked = session.execute(
        update(OAuthToken)
        .where(OAuthToken.client_id == row.client_id, OAuthToken.revoked.is_(False))
        .values(revoked=True)
    )
    session.commit()
    return {"name": name, "client_id": row.client_id, "revoked_tokens": revoked.rowcount}
