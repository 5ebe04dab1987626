"""Sign-in with the national digital ID over OpenID Connect (authorization code
with PKCE, state and nonce): MOSIP eSignet, CamDigiKey or Keycloak alike."""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

CLIENT_NAME = "digital_id"


def setup_digital_id(app: Flask) -> None:
    issuer = app.config["DIGITAL_ID_ISSUER"]
    if not issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["DIGITAL_ID_CLIENT_ID"],
        client_secret=app.config["DIGITAL_ID_CLIENT_SECRET"],
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": app.config["DIGITAL_ID_SCOPES"], "code_challenge_method": "S256"},
    )
    app.extensions["digital_id"] = oauth.create_client(CLIENT_NAME)


def enabled() -> bool:
    return "digital_id" in current_app.extensions


def client():
    return current_app.extensions["digital_id"]


def national_id_from(token: dict) -> str | None:
    """The national ID claim, from the ID token or else the userinfo endpoint."""
    claim = current_app.config["DIGITAL_ID_NIN_CLAIM"]
    claims = dict(token.get("userinfo") or {})
    if claim not in claims:
        claims.update(client().userinfo(token=token))
    value = claims.get(claim)
    return str(value) if value else None
