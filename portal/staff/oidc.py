"""The ministry's staff identity provider over OpenID Connect (authorization
code with PKCE S256, state and nonce; Authlib's Flask client `staff_idp`).

The provider does its own second factor. Role and scope come from its claims:
`roles` (the first one the portal knows), `commune_codes` (commune officers)
and `programme_ids` (programme officers).
"""

from __future__ import annotations

import logging

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from portal import gazetteer
from portal.applications.offer import programme_ids
from portal.staff.services import COMMUNE_CODE, PROGRAMME_OFFICER
from portal.web.identity import STAFF_ROLES, StaffMember

logger = logging.getLogger("portal.staff")

CLIENT_NAME = "staff_idp"
EXTENSION = "staff_idp"
DEFAULT_SCOPES = "openid profile staff"
SCOPE_CLAIMS = ("roles", "commune_codes", "programme_ids")


def setting(app: Flask, name: str, default: str = "") -> str:
    """`STAFF_OIDC_<name>` from the app config (PORTAL_STAFF_OIDC_<name> in the environment)."""
    return str(app.config.get(f"STAFF_OIDC_{name}") or default)


def setup_staff_oidc(app: Flask) -> None:
    """Register the `staff_idp` client, only when an issuer is configured."""
    issuer = setting(app, "ISSUER")
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=setting(app, "CLIENT_ID"),
        client_secret=setting(app, "CLIENT_SECRET"),
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": setting(app, "SCOPES", DEFAULT_SCOPES),
            "code_challenge_method": "S256",
        },
    )
    app.extensions[EXTENSION] = oauth.create_client(CLIENT_NAME)


def enabled() -> bool:
    return EXTENSION in current_app.extensions


def client():
    return current_app.extensions[EXTENSION]


def claims_from(token: dict) -> dict:
    """The ID token's claims, completed from the userinfo endpoint."""
    claims = dict(token.get("userinfo") or {})
    if any(name not in claims for name in SCOPE_CLAIMS):
        claims.update(client().userinfo(token=token))
    return claims


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(item) for item in value]


def member_from_claims(claims: dict) -> StaffMember | None:
    """The staff member the claims describe, or None when they give no role the
    portal knows (or a commune officer without a commune, a programme officer
    without a programme of this portal)."""
    role = next((role for role in _as_list(claims.get("roles")) if role in STAFF_ROLES), None)
    if role is None:
        return None
    communes = tuple(
        sorted(
            {
                code
                for code in _as_list(claims.get("commune_codes"))
                if COMMUNE_CODE.match(code) and gazetteer.is_commune(code)
            }
        )
    )
    if role == "officer" and not communes:
        return None
    known = programme_ids()
    programmes = tuple(
        sorted({item for item in _as_list(claims.get("programme_ids")) if item in known})
    )
    if role != PROGRAMME_OFFICER:
        programmes = ()
    elif not programmes:
        return None
    username = str(claims.get("preferred_username") or claims.get("sub") or "")
    if not username:
        return None
    return StaffMember(
        username=username,
        name=str(claims.get("name") or username),
        role=role,
        method="oidc",
        commune_codes=communes,
        programme_ids=programmes,
    )
