"""DCI transaction status: the ``txn-on-status`` answer to a ``txn-status``
message, for ``/registry/sync/txn/status`` (answered at once) and
``/registry/txn/status`` (answered by a callback).

A client sees only its own asynchronous searches (``txn_type`` search) and
subscribe requests (``txn_type`` "subscibe", the official spelling). It names
one by ``transaction_id`` (its latest with that id), by ``correlation_id``
(the id the registry acknowledged it with) or by ``reference_id_list`` (its
latest holding any of those reference ids; each listed id is reported as an
item of it). The answer is ``txnstatus_response = {txn_type, txn_status}``,
``txn_status`` in the official SearchResponse shape (the only one the
official schema offers besides receipts): each item's status (``rcvd``,
``pdng``, ``succ`` or ``rjct`` with its reason), never the records, which
come only in the callbacks (and are in the persons' access logs). A reason
code that is not a SearchStatusReasonCode (a subscription's) is given in
``status_reason_message``. What is not found, or is another client's, is
answered the same way: items refused with ``rjct.search_criteria.invalid``
(transaction or correlation id) or ``rjct.reference_id.invalid`` (reference
ids), never its content. Receipts are not offered: the header is refused
with ``rjct.action.not_supported``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.dci_envelope import (
    HeaderRejection,
    answer_header,
    check_header,
    transaction_id_of,
)
from portal.registry.server.kinds import iso
from portal.registry.server.models import DciTransaction, DciTransactionReference

ACTION = "txn-on-status"
SEARCH = "search"
# txn_type → (the transaction's action, its request items, its answer items)
KINDS = {
    SEARCH: ("search", "search_request", "search_response"),
    "subscibe": ("subscribe", "subscribe_request", "subscribe_response"),
}
SEARCH_REASON_CODES = frozenset(
    {
        "rjct.reference_id.invalid",
        "rjct.reference_id.duplicate",
        "rjct.timestamp.invalid",
        "rjct.search_criteria.invalid",
        "rjct.filter.invalid",
        "rjct.sort.invalid",
        "rjct.pagination.invalid",
        "rjct.search.too_many_records_found",
    }
)
MAX_REFERENCES = 100
MAX_REFERENCE_LENGTH = 100  # longer ones are refused by the search: never stored
_ITEM_FIELDS = ("status_reason_message", "pagination", "locale")
_NOT_SUPPORTED = HeaderRejection(
    "rjct.action.not_supported",
    "Only the status of searches and subscribe requests is offered by this registry.",
)
_TOO_MANY = HeaderRejection(
    "rjct.total_count.limit_exceeded", f"At most {MAX_REFERENCES} reference ids in one request."
)


def record_references(session: Session, transaction_id: str, request: dict) -> None:
    """Remember the reference ids of a received search's or subscribe
    request's items (for ``reference_id_list``); the caller commits with the
    transaction."""
    for reference in sorted(_references_of(request)):
        session.add(DciTransactionReference(transaction_id=transaction_id, reference_id=reference))


def _references_of(request: dict) -> set[str]:
    found = set()
    for item in _request_items(request):
        reference = item.get("reference_id") if isinstance(item, dict) else None
        if isinstance(reference, str) and 0 < len(reference) <= MAX_REFERENCE_LENGTH:
            found.add(reference)
    return found


def answer_txn_status(
    session: Session, body: dict, *, client_id: str, registry_id: str, correlation_id: str
) -> dict:
    """The ``txn-on-status`` envelope ``{header, message}`` (unsigned) for a
    ``txn-status`` message; records its message id (the caller commits)."""
    rejection = check_header(session, body, client_id, 1)
    query = body["message"]["txnstatus_request"]
    if rejection is None and query["txn_type"] not in KINDS:
        rejection = _NOT_SUPPORTED
    values = query["attribute_value"]
    if rejection is None and isinstance(values, list) and len(values) > MAX_REFERENCES:
        rejection = _TOO_MANY
    if rejection is not None:
        header = answer_header(
            body["header"], ACTION, "rjct", registry_id, total=1, completed=0, rejection=rejection
        )
        return {"header": header}
    status = _status(session, client_id, query)
    header = answer_header(body["header"], ACTION, "succ", registry_id, total=1, completed=1)
    message = {
        "transaction_id": transaction_id_of(body)[:99],
        "correlation_id": correlation_id,
        "txnstatus_response": {"txn_type": query["txn_type"], "txn_status": status},
    }
    return {"header": header, "message": message}


def _status(session: Session, client_id: str, query: dict) -> dict:
    kind, value = query["attribute_type"], query["attribute_value"]
    mine = _transactions_of(client_id, KINDS[query["txn_type"]][0])
    if kind == "reference_id_list":
        references = [value] if isinstance(value, str) else [str(v) for v in value]
        found = _by_references(session, mine, references)
        if found is None:
            return _not_found(
                query, "", [_refused_reference(ref) for ref in references] or [_no_match(query)]
            )
        return _status_of(found, references)
    if not isinstance(value, str):
        return _not_found(query, "", [_no_match(query, f"Give one {kind}, not a list.")])
    column = DciTransaction.transaction_id if kind == "transaction_id" else DciTransaction.id
    found = session.scalar(_latest(mine.where(column == value)))
    if found is None:
        return _not_found(query, value if kind == "correlation_id" else "", [_no_match(query)])
    return _status_of(found, None)


def _transactions_of(client_id: str, action: str) -> Select:
    return select(DciTransaction).where(
        DciTransaction.client_id == client_id, DciTransaction.action == action
    )


def _latest(statement: Select) -> Select:
    return statement.order_by(DciTransaction.received_at.desc(), DciTransaction.id).limit(1)


def _by_references(session: Session, mine: Select, references: list[str]) -> DciTransaction | None:
    wanted = [ref for ref in set(references) if 0 < len(ref) <= MAX_REFERENCE_LENGTH]
    if not wanted:
        return None
    statement = mine.where(
        DciTransaction.id.in_(
            select(DciTransactionReference.transaction_id).where(
                DciTransactionReference.reference_id.in_(wanted)
            )
        )
    )
    return session.scalar(_latest(statement))


def _status_of(found: DciTransaction, references: list[str] | None) -> dict:
    """The SearchResponse of a found transaction: its items (those listed,
    when ``references`` is given), each with its status but not its records."""
    items = _items_of(found)
    if references is not None:
        by_reference = {item["reference_id"]: item for item in items}
        items = [by_reference.get(ref) or _refused_reference(ref) for ref in references]
    return {
        "transaction_id": found.transaction_id[:99],
        "correlation_id": found.id,
        "search_response": items,
    }


def _items_of(found: DciTransaction) -> list[dict]:
    requested = [
        reference if isinstance(reference, str) else ""
        for reference in (item.get("reference_id") for item in _request_items(found.request))
    ]
    if found.status in ("rcvd", "pdng"):
        since = iso((found.status == "pdng" and found.claimed_at) or found.received_at)
        return [
            {"reference_id": ref, "timestamp": since, "status": found.status} for ref in requested
        ]
    answered = _answered_items(found.answer)
    if answered:
        return [_without_records(item) for item in answered]
    finished = iso(found.finished_at or found.received_at)
    reason = _unanswered_reason(found.answer)
    return [
        {"reference_id": ref, "timestamp": finished, "status": "rjct", **reason}
        for ref in requested
    ]


def _request_items(request: dict) -> list[dict]:
    """The items of a stored request (a search's or a subscribe request's)."""
    return _items_named(request, ("search_request", "subscribe_request"))


def _answered_items(answer: dict | None) -> list[dict]:
    return _items_named(answer, ("search_response", "subscribe_response"))


def _items_named(envelope: object, names: tuple[str, ...]) -> list[dict]:
    message = envelope.get("message") if isinstance(envelope, dict) else None
    if not isinstance(message, dict):
        return []
    for name in names:
        items = message.get(name)
        if isinstance(items, list):
            return [item for item in items if isinstance(item, dict)]
    return []


def _without_records(item: dict) -> dict:
    kept: dict[str, Any] = {
        "reference_id": item.get("reference_id", ""),
        "timestamp": item.get("timestamp"),
        "status": item.get("status"),
    }
    kept.update({name: item[name] for name in _ITEM_FIELDS if name in item})
    code = item.get("status_reason_code")
    if code in SEARCH_REASON_CODES:
        kept["status_reason_code"] = code
    elif isinstance(code, str):  # e.g. a subscription's: not an official item code here
        kept["status_reason_message"] = f"{code}: {item.get('status_reason_message', '')}"[:999]
    return kept


def _unanswered_reason(answer: dict | None) -> dict:
    """Why a finished search has no item answers: refused as a whole (the
    header's reason, as text: header codes are not item codes), or never
    answered (no callback address)."""
    header = answer.get("header") if isinstance(answer, dict) else None
    if isinstance(header, dict) and header.get("status_reason_code"):
        text = f"The message was refused as a whole ({header['status_reason_code']})."
        return {"status_reason_message": text}
    return {
        "status_reason_message": "Not answered: the client has no callback address "
        "registered for this answer."
    }


def _not_found(query: dict, correlation_id: str, items: list[dict]) -> dict:
    value = query["attribute_value"]
    transaction_id = value if query["attribute_type"] == "transaction_id" else ""
    return {
        "transaction_id": transaction_id if isinstance(transaction_id, str) else "",
        "correlation_id": correlation_id,
        "search_response": items,
    }


def _no_match(query: dict, message: str | None = None) -> dict:
    reference = query.get("reference_id")
    return {
        "reference_id": reference if isinstance(reference, str) else "",
        "timestamp": iso(now()),
        "status": "rjct",
        "status_reason_code": "rjct.search_criteria.invalid",
        "status_reason_message": message
        or f"None of your searches has this {query['attribute_type']}.",
    }


def _refused_reference(reference: str) -> dict:
    return {
        "reference_id": reference,
        "timestamp": iso(now()),
        "status": "rjct",
        "status_reason_code": "rjct.reference_id.invalid",
        "status_reason_message": "None of your searches has this reference_id.",
    }
