"""``GET /registry/signing-keys``: the registry's public signing key, so
operators can check the signatures of its answers and callbacks.

Registering this blueprint also loads the registry's key (once, when the app
is built), so a missing or malformed key is found at start, not in a request.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask.blueprints import BlueprintSetupState

from portal.registry.server.registry_key import load_registry_key, registry_key
from portal.registry.server.signature_format import ALGORITHM

signing_keys_api = Blueprint("registry_signing_keys", __name__)


@signing_keys_api.record_once
def _load_key(state: BlueprintSetupState) -> None:
    load_registry_key(state.app)


@signing_keys_api.get("/registry/signing-keys")
def signing_keys() -> Response:
    key = registry_key()
    return jsonify(
        {"keys": [{"key_id": key.key_id, "algorithm": ALGORITHM, "public_key": key.public_key_b64}]}
    )
