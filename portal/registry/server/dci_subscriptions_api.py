"""DCI subscriptions: ``POST /registry/subscribe`` and ``/registry/unsubscribe``.

Both are asynchronous: the view acknowledges the message at once and, in the
same transaction as the subscriptions made or ended, queues the answer
(``on-subscribe`` / ``on-unsubscribe``) for the client's registered callback
address (``callbacks``), and records the transaction for ``txn/status``.
Subscribing needs ``registry.search``; notifications then carry full records
only when the subscribing token also had ``registry.read``.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy.orm import Session

from portal.registry.server import callbacks
from portal.registry.server.audit import header_actor, now
from portal.registry.server.auth import Caller, authorize
from portal.registry.server.dci_async import callback_address
from portal.registry.server.dci_envelope import ack, transaction_id_of
from portal.registry.server.dci_receive import Received, receive
from portal.registry.server.models import DciTransaction
from portal.registry.server.sessions import request_session
from portal.registry.server.subscriptions import answer_subscribe
from portal.registry.server.unsubscriptions import answer_unsubscribe

dci_subscriptions_api = Blueprint("registry_dci_subscriptions", __name__)


@dci_subscriptions_api.post("/registry/subscribe")
def subscribe() -> Response:
    caller = authorize("registry.search")
    received = receive("/registry/subscribe", caller)
    session = request_session()
    url = callback_address(session, caller, "on-subscribe", received.body["header"])
    correlation_id = str(uuid.uuid4())
    full_records = "registry.read" in caller.scopes
    answer = answer_subscribe(
        session,
        received.body,
        correlation_id,
        client_id=caller.client_id,
        full_records=full_records,
        registry_id=current_app.config["REGISTRY_ID"],
    )
    _record(session, caller, received, "subscribe", correlation_id, answer, full_records)
    callbacks.enqueue(session, caller.client_id, url, "on-subscribe", answer)
    session.commit()
    return jsonify(ack(correlation_id))


@dci_subscriptions_api.post("/registry/unsubscribe")
def unsubscribe() -> Response:
    caller = authorize("registry.search")
    received = receive("/registry/unsubscribe", caller)
    session = request_session()
    url = callback_address(session, caller, "on-unsubscribe", received.body["header"])
    correlation_id = str(uuid.uuid4())
    answer = answer_unsubscribe(
        session,
        received.body,
        correlation_id,
        client_id=caller.client_id,
        registry_id=current_app.config["REGISTRY_ID"],
    )
    _record(session, caller, received, "unsubscribe", correlation_id, answer, False)
    callbacks.enqueue(session, caller.client_id, url, "on-unsubscribe", answer)
    session.commit()
    return jsonify(ack(correlation_id))


def _record(
    session: Session,
    caller: Caller,
    received: Received,
    action: str,
    correlation_id: str,
    answer: dict,
    full_records: bool,
) -> None:
    """The transaction, answered already, for ``txn/status``."""
    moment = now()
    actor = header_actor(caller)
    session.add(
        DciTransaction(
            id=correlation_id,
            client_id=caller.client_id,
            sender_id=str(received.body["header"]["sender_id"])[:200],
            transaction_id=transaction_id_of(received.body)[:100],
            action=action,
            status=answer["header"]["status"],
            request=received.body,
            answer=answer,
            actor=asdict(actor) if actor is not None else {},
            full_records=full_records,
            received_at=moment,
            finished_at=moment,
        )
    )
