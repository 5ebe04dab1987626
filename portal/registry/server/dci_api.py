"""DCI synchronous search: ``POST /registry/sync/search``.

The view authorises, receives the message (contract, encryption, signature)
and answers with ``search.answer_search``; a signed request gets a signed
answer.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from portal.registry.server import signatures
from portal.registry.server.audit import header_actor
from portal.registry.server.auth import authorize
from portal.registry.server.dci_receive import receive
from portal.registry.server.search import answer_search
from portal.registry.server.sessions import request_session

dci_api = Blueprint("registry_dci", __name__)


@dci_api.post("/registry/sync/search")
def sync_search() -> Response:
    caller = authorize("registry.search")
    base_actor = header_actor(caller)
    received = receive("/registry/sync/search", caller)
    answer = answer_search(
        request_session(),
        received.body,
        client_id=caller.client_id,
        base_actor=base_actor,
        registry_id=current_app.config["REGISTRY_ID"],
        full_records="registry.read" in caller.scopes,
    )
    return jsonify(signatures.signed(answer) if received.signed else answer)
