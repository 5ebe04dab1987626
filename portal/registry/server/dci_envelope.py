"""The DCI message envelope ``{signature, header, message}`` shared by every
DCI operation: checks of a received header, the header of an answer or a
callback, and the acknowledgement of an asynchronous request.

Answers leave optional fields out rather than sending ``null`` (the official
schemas allow no nulls), and never carry an empty ``signature``.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.errors import ApiError
from portal.registry.server.kinds import iso
from portal.registry.server.models import DciMessage

VERSION = "1.0.0"
REG_TYPE = "ns:org:RegistryType:Social"  # this registry's DCI registry type
MAX_ITEMS = 100  # items in one message (rjct.total_count.limit_exceeded above)
MAX_REFERENCE_LENGTH = 100
_KEY_LENGTH = 100


@dataclass(frozen=True)
class HeaderRejection:
    """Why a whole message is refused: an official MsgHeaderStatusReasonCode."""

    code: str
    message: str


def refuse_encrypted(body: dict) -> None:
    """This registry does not take encrypted messages (400 err.encryption.invalid)."""
    header, message = body.get("header") or {}, body.get("message")
    if header.get("is_msg_encrypted") is True or (
        isinstance(message, dict) and "ciphertext" in message
    ):
        raise ApiError(
            400,
            "err.encryption.invalid",
            "Encrypted messages are not supported: send the message in clear over TLS.",
        )


def items_of(body: dict, name: str) -> list:
    """The message's list of items (e.g. ``search_request``); [] when absent."""
    message = body.get("message")
    items = message.get(name) if isinstance(message, dict) else None
    return items if isinstance(items, list) else []


def check_header(
    session: Session, body: dict, client_id: str, items: int
) -> HeaderRejection | None:
    """Problems with the header as a whole; records the message id (per
    client) so that a repeated one is refused."""
    header = body["header"]
    version = header.get("version", VERSION)
    if version != VERSION:
        return HeaderRejection("rjct.version.invalid", f"Only version {VERSION} is supported.")
    if parse_timestamp(header.get("message_ts")) is None:
        return HeaderRejection(
            "rjct.message_ts.invalid", "message_ts must be an ISO 8601 date-time with a zone."
        )
    if header.get("total_count") != items:
        return HeaderRejection(
            "rjct.total_count.invalid", "total_count must equal the number of requests."
        )
    if items > MAX_ITEMS:
        return HeaderRejection(
            "rjct.total_count.limit_exceeded", f"At most {MAX_ITEMS} requests in one message."
        )
    if _is_repeated(session, client_id, str(header["message_id"])):
        return HeaderRejection(
            "rjct.message_id.duplicate", "This message_id was already received from this sender."
        )
    return None


def item_problem(item: dict, seen: set[str]) -> tuple[str, str] | None:
    """What is wrong with an item's reference_id (empty, too long, repeated in
    the message) or timestamp, as an official reason code and message; None
    when nothing. Adds the reference_id to ``seen``."""
    reference = item.get("reference_id")
    if not isinstance(reference, str) or not reference.strip():
        return "rjct.reference_id.invalid", "reference_id must not be empty."
    if len(reference) > MAX_REFERENCE_LENGTH:
        return (
            "rjct.reference_id.invalid",
            f"reference_id has at most {MAX_REFERENCE_LENGTH} characters.",
        )
    if reference in seen:
        return (
            "rjct.reference_id.duplicate",
            "Another request in this message has this reference_id.",
        )
    seen.add(reference)
    if parse_timestamp(item.get("timestamp")) is None:
        return "rjct.timestamp.invalid", "timestamp must be an ISO 8601 date-time with a zone."
    return None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 date-time with a zone, or None."""
    if not isinstance(value, str) or len(value) < 20 or value[10] not in "Tt":
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _key(value: str) -> str:
    """A value as a bounded key (long ones by their digest)."""
    if len(value) <= _KEY_LENGTH:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _is_repeated(session: Session, client_id: str, message_id: str) -> bool:
    session.add(DciMessage(sender_id=client_id, message_id=_key(message_id), received_at=now()))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return True
    return False


def answer_header(
    request_header: dict,
    action: str,
    status: str,
    registry_id: str,
    *,
    total: int | None = None,
    completed: int | None = None,
    rejection: HeaderRejection | None = None,
) -> dict:
    """The header of an answer or callback (``on-search``, ``notify``, ...)."""
    header: dict = {
        "version": VERSION,
        "message_id": str(uuid.uuid4()),
        "message_ts": iso(now()),
        "action": action,
        "status": status,
    }
    if rejection is not None:
        header["status_reason_code"] = rejection.code
        header["status_reason_message"] = rejection.message
    if total is not None:
        header["total_count"] = total
    if completed is not None:
        header["completed_count"] = completed
    header["sender_id"] = registry_id
    receiver = request_header.get("sender_id")
    if isinstance(receiver, str):
        header["receiver_id"] = receiver
    header["is_msg_encrypted"] = False
    return header


def ack(correlation_id: str) -> dict:
    """The acknowledgement of an asynchronous request: taken, answer to follow."""
    return {
        "message": {
            "ack_status": "ACK",
            "timestamp": iso(now()),
            "correlation_id": correlation_id,
        }
    }


def transaction_id_of(body: dict) -> str:
    message = body.get("message")
    value = message.get("transaction_id") if isinstance(message, dict) else None
    return value if isinstance(value, str) else ""
