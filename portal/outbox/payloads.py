"""Outbox payloads hold personal data (a person's record, a phone number): they
are sealed with Fernet (`portal.crypto`) under PORTAL_OUTBOX_KEY, or a key
derived from PORTAL_SECRET_KEY, and deleted once delivered.

Changing the key leaves what is still waiting unreadable: such items are
parked with the reason, for staff. Deliver the outbox empty first
(`flask --app portal outbox status`)."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from portal.crypto import fernet_for

PURPOSE = "outbox payloads"


class UnreadablePayload(Exception):
    """The payload was sealed under another key, or damaged."""


def _fernet() -> Fernet:
    config = current_app.config
    return fernet_for(config["OUTBOX_KEY"] or config["SECRET_KEY"], PURPOSE)


def seal(payload: dict) -> bytes:
    return _fernet().encrypt(json.dumps(payload, ensure_ascii=False).encode())


def unseal(sealed: bytes | None) -> dict:
    if sealed is None:
        raise UnreadablePayload("the payload is gone")
    try:
        return json.loads(_fernet().decrypt(bytes(sealed)))
    except (InvalidToken, ValueError):
        raise UnreadablePayload("the payload cannot be read with this key") from None
