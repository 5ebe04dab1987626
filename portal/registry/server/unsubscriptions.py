"""Ending DCI subscriptions (``POST /registry/unsubscribe``).

An unsubscribe message is answered as a whole. A client can only end its own
subscriptions: when any code is unknown or another client's, the answer is
``rjct.subscription_code.invalid`` and nothing is ended (another's
subscription is neither touched nor shown). Once ended, a subscription is
notified of nothing more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.dci_envelope import check_header, parse_timestamp, transaction_id_of
from portal.registry.server.kinds import iso
from portal.registry.server.models import DciSubscription
from portal.registry.server.subscriptions import ACTIVE, ENDED, Refused, callback_header

MAX_CODES = 100
MAX_CODE_LENGTH = 99  # the official SubscriptionCode


def unsubscribe_codes(message: dict) -> list[str] | None:
    """The codes to end: ``subscription_codes`` (the property the official
    schema defines) and ``sunscription_codes`` (the misspelt one it requires)."""
    codes: list[str] = []
    found = False
    for name in ("subscription_codes", "sunscription_codes"):
        value = message.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            return None
        found = True
        codes.extend(value)
    return list(dict.fromkeys(codes)) if found else None


def answer_unsubscribe(
    session: Session, body: dict, correlation_id: str, *, client_id: str, registry_id: str
) -> dict:
    """The on-unsubscribe envelope (unsigned) for ``body``; the subscriptions
    it ends are changed in the session, for the caller to commit."""
    message = body["message"]
    codes = unsubscribe_codes(message)
    count = len(codes) if codes else 0
    # total_count counts the codes; one request (1) is taken too.
    items = 1 if body["header"].get("total_count") == 1 else count
    rejection = check_header(session, body, client_id, items)
    answer: dict[str, Any] = {
        "transaction_id": transaction_id_of(body)[:99],
        "correlation_id": correlation_id,
        "timestamp": iso(now()),
    }
    if rejection is not None:
        answer.update(
            status="rjct", status_reason_message=rejection.message, subscription_status=[]
        )
    else:
        answer.update(_unsubscribe(session, message, codes, client_id))
    completed = 0 if rejection else items
    header = callback_header(body, "on-unsubscribe", registry_id, items, completed, rejection)
    return {"header": header, "message": answer}


def _unsubscribe(session: Session, message: dict, codes: list[str] | None, client_id: str) -> dict:
    own: dict[str, DciSubscription] = {}
    try:
        if parse_timestamp(message.get("timestamp", message.get("timesstamp"))) is None:
            raise Refused(
                "rjct.timestamp.invalid", "timestamp must be an ISO 8601 date-time with a zone."
            )
        if not codes or len(codes) > MAX_CODES:
            raise Refused(
                "rjct.subscription_code.invalid",
                f"subscription_codes lists 1 to {MAX_CODES} subscription codes.",
            )
        own = _own_subscriptions(
            session, client_id, [code for code in codes if len(code) <= MAX_CODE_LENGTH]
        )
        if len(own) < len(codes):
            raise Refused(
                "rjct.subscription_code.invalid",
                f"{len(codes) - len(own)} of the codes are not subscriptions of this sender;"
                " nothing was unsubscribed.",
            )
        active = [s for s in own.values() if s.status == ACTIVE]
        if not active:
            raise Refused(
                "rjct.event.already_unsubscribed", "These subscriptions were already ended."
            )
    except Refused as refused:
        return {
            "status": "rjct",
            "status_reason_code": refused.code,
            "status_reason_message": str(refused)[:999],
            "subscription_status": _statuses(own),
        }
    moment = now()
    for subscription in active:
        subscription.status, subscription.ended_at = ENDED, moment
    return {"status": "succ", "subscription_status": _statuses(own)}


def _own_subscriptions(
    session: Session, client_id: str, codes: list[str]
) -> dict[str, DciSubscription]:
    if not codes:
        return {}
    found = session.scalars(
        select(DciSubscription).where(
            DciSubscription.code.in_(codes), DciSubscription.client_id == client_id
        )
    )
    by_code = {subscription.code: subscription for subscription in found}
    return {code: by_code[code] for code in codes if code in by_code}


def _statuses(own: dict[str, DciSubscription]) -> list[dict]:
    return [{"code": code, "status": subscription.status} for code, subscription in own.items()]
