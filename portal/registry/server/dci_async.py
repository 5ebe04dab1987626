"""DCI asynchronous search and transaction status:
``POST /registry/search``, ``POST /registry/txn/status`` and
``POST /registry/sync/txn/status``.

An asynchronous request is acknowledged at once (``ack_status`` ACK and the
``correlation_id`` its answer will carry) once it is on the contract, its
signature verified and the client has a callback address for the answer (the
registered one, or ``header.sender_uri`` under it; else 400
``err.sender_uri.invalid``). A search is answered later by the exchange runner
(``exchange``) with an ``on-search`` callback; a status request's answer is
made at once and queued as a ``txn-on-status`` callback.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.orm import Session

from portal.registry.server import callbacks, signatures
from portal.registry.server.audit import header_actor, now
from portal.registry.server.auth import Caller, authorize
from portal.registry.server.callbacks import NoCallbackAddress
from portal.registry.server.dci_envelope import ack, transaction_id_of
from portal.registry.server.dci_receive import receive
from portal.registry.server.errors import ApiError
from portal.registry.server.models import DciTransaction
from portal.registry.server.sessions import request_session
from portal.registry.server.txn_status import answer_txn_status, record_references

dci_async = Blueprint("registry_dci_async", __name__)


@dci_async.post("/registry/search")
def async_search() -> Response:
    caller = authorize("registry.search")
    actor = header_actor(caller)
    body = receive("/registry/search", caller).body
    session = request_session()
    callback_address(session, caller, "on-search", body["header"])
    transaction = _transaction(caller, body, "search", "rcvd")
    transaction.actor = asdict(actor) if actor is not None else {}
    transaction.full_records = "registry.read" in caller.scopes
    session.add(transaction)
    session.flush()
    record_references(session, transaction.id, body)
    session.commit()
    return jsonify(ack(transaction.id))


@dci_async.post("/registry/txn/status")
def async_txn_status() -> Response:
    caller = authorize("registry.search")
    body = receive("/registry/txn/status", caller).body
    session = request_session()
    url = callback_address(session, caller, "txn-on-status", body["header"])
    correlation_id = str(uuid.uuid4())
    answer = answer_txn_status(
        session,
        body,
        client_id=caller.client_id,
        registry_id=current_app.config["REGISTRY_ID"],
        correlation_id=correlation_id,
    )
    transaction = _transaction(caller, body, "txn-status", answer["header"]["status"])
    transaction.id = correlation_id
    transaction.answer = answer
    transaction.finished_at = transaction.received_at
    session.add(transaction)
    callbacks.enqueue(session, caller.client_id, url, "txn-on-status", answer)
    session.commit()
    return jsonify(ack(correlation_id))


@dci_async.post("/registry/sync/txn/status")
def sync_txn_status() -> Response:
    caller = authorize("registry.search")
    received = receive("/registry/sync/txn/status", caller)
    session = request_session()
    answer = answer_txn_status(
        session,
        received.body,
        client_id=caller.client_id,
        registry_id=current_app.config["REGISTRY_ID"],
        correlation_id=str(uuid.uuid4()),
    )
    session.commit()
    return jsonify(signatures.signed(answer) if received.signed else answer)


def callback_address(session: Session, caller: Caller, action: str, header: dict) -> str:
    """Where the answer will go, or 400 ``err.sender_uri.invalid`` (no
    registered address, or a ``sender_uri`` outside it; an empty one is absent)."""
    sender_uri = header.get("sender_uri") or None
    try:
        return callbacks.address_for(session, caller.client_id, action, sender_uri)
    except NoCallbackAddress as error:
        raise ApiError(400, "err.sender_uri.invalid", str(error)) from None


def _transaction(caller: Caller, body: dict, action: str, status: str) -> DciTransaction:
    return DciTransaction(
        id=str(uuid.uuid4()),
        client_id=caller.client_id,
        sender_id=str(body["header"]["sender_id"])[:200],
        transaction_id=transaction_id_of(body)[:100],
        action=action,
        status=status,
        request=body,
        actor={},
        full_records=False,
        received_at=now(),
    )
