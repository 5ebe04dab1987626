"""DCI message signatures (ed25519): clients' keys, checking theirs, making ours.

The format and its signing string are defined in ``signature_format``. A client
registers public keys with ``flask registry-client add-key`` (and withdraws them
with ``revoke-key``); from then on its DCI messages must be signed. A message is
accepted when its signature's key id names the message's ``header.sender_id``
and an active key of the client that sent it, the algorithm is ed25519, it was
created no later than ``CLOCK_SKEW`` from now, has not expired, and the ed25519
signature over the signing string (which carries the BLAKE2b-512 digest of the
received header and message) verifies. Anything else is 401
``err.signature.invalid``; no signature from a client with keys is 401
``err.signature.missing``. Neither the message nor the signature is logged.

The registry signs its answers to signed requests and its callbacks with its own
key (``registry_key``); ``verify_envelope`` checks such a signature.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.errors import ApiError
from portal.registry.server.models import ClientSigningKey, OAuthClient
from portal.registry.server.registry_key import registry_key
from portal.registry.server.signature_format import (
    ALGORITHM,
    DCI_ED25519,
    MalformedSignature,
    SignatureFormat,
    SignatureParts,
    b64decode,
)

log = logging.getLogger(__name__)

SIGNATURE_FORMAT: SignatureFormat = DCI_ED25519
CLOCK_SKEW_SECONDS = 300
OUR_SIGNATURES_LAST_SECONDS = 3600
_KEY_ID_LENGTH = 100


class _Refused(Exception):
    """Why a signature is not accepted (a reason safe to log and to tell the sender)."""


def verify_request(session: Session, body: dict, client_id: str) -> bool:
    """True when the message carries a valid signature of one of the client's
    active keys; False when it carries none and the client has no keys.
    Raises ApiError 401 otherwise."""
    text = body.get("signature")
    if text is None or text == "":
        if _has_active_key(session, client_id):
            raise ApiError(
                401, "err.signature.missing", "This client signs its messages: sign this one."
            )
        return False
    try:
        parts = _parse(text)
        header = body.get("header")
        if not isinstance(header, dict) or header.get("sender_id") != parts.sender_id:
            raise _Refused("The signature's key id does not name the header's sender_id.")
        public_key = _active_key(session, client_id, parts.key_id)
        _check(parts, body, public_key, time.time())
    except _Refused as refusal:
        log.info("signature refused for client %s: %s", client_id, refusal)
        raise ApiError(401, "err.signature.invalid", str(refusal)) from None
    return True


def signed(envelope: dict) -> dict:
    """The envelope with the registry's signature (first, before header and message)."""
    key = registry_key()
    created = int(time.time())
    parts = SignatureParts(
        sender_id=current_app.config["REGISTRY_ID"],
        key_id=key.key_id,
        algorithm=ALGORITHM,
        created=created,
        expires=created + OUR_SIGNATURES_LAST_SECONDS,
        value=b"",
    )
    unsigned = {name: value for name, value in envelope.items() if name != "signature"}
    value = key.private_key.sign(SIGNATURE_FORMAT.signing_string(parts, unsigned))
    text = SIGNATURE_FORMAT.format(replace(parts, value=value))
    return {"signature": text, **unsigned}


def verify_envelope(envelope: dict, public_key_b64: str, at: float | None = None) -> bool:
    """Whether ``envelope`` carries a valid signature by ``public_key_b64``
    (base64 of the raw 32-byte ed25519 public key) naming its header's sender,
    valid at ``at`` (Unix seconds, default now). For checking the registry's
    answers and callbacks with the key of ``GET /registry/signing-keys``."""
    try:
        parts = _parse(envelope.get("signature"))
        header = envelope.get("header")
        if not isinstance(header, dict) or header.get("sender_id") != parts.sender_id:
            return False
        _check(parts, envelope, _public_key(public_key_b64), time.time() if at is None else at)
    except (_Refused, ValueError):
        return False
    return True


def add_signing_key(
    session: Session, client_name: str, key_id: str, public_key_b64: str
) -> dict[str, str]:
    """Register a client's ed25519 public key (base64 of its 32 raw bytes) under
    ``key_id``; raises ValueError for an unknown client, a bad key or id, or an
    id already used by the client (revoked ids are not reused)."""
    client = _client_named(session, client_name)
    if not key_id or len(key_id) > _KEY_ID_LENGTH or "|" in key_id or not key_id.isprintable():
        raise ValueError("the key id must be 1-100 printable characters without '|'")
    try:
        _public_key(public_key_b64)
    except _Refused as refusal:
        raise ValueError("the public key must be the base64 of 32 raw ed25519 bytes") from refusal
    if session.get(ClientSigningKey, (client.client_id, key_id)) is not None:
        raise ValueError(f"client {client_name!r} already has a key {key_id!r}")
    session.add(
        ClientSigningKey(
            client_id=client.client_id,
            key_id=key_id,
            public_key=public_key_b64.strip(),
            created_at=datetime.now(UTC),
        )
    )
    session.commit()
    return {"name": client_name, "client_id": client.client_id, "key_id": key_id}


def revoke_signing_key(session: Session, client_name: str, key_id: str) -> dict[str, str]:
    """Stop accepting signatures by the client's key ``key_id`` (at once)."""
    client = _client_named(session, client_name)
    row = session.get(ClientSigningKey, (client.client_id, key_id))
    if row is None:
        raise ValueError(f"client {client_name!r} has no key {key_id!r}")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.commit()
    return {
        "name": client_name,
        "client_id": client.client_id,
        "key_id": key_id,
        "revoked_at": row.revoked_at.isoformat(),
    }


def _parse(text: object) -> SignatureParts:
    if not isinstance(text, str):
        raise _Refused("The signature is not a string.")
    try:
        return SIGNATURE_FORMAT.parse(text)
    except MalformedSignature as error:
        raise _Refused(f"The signature is malformed: {error}.") from None


def _check(parts: SignatureParts, envelope: dict, public_key: Ed25519PublicKey, at: float) -> None:
    """Raise _Refused unless the signature is ed25519, within its time, and verifies."""
    if parts.algorithm != ALGORITHM:
        raise _Refused("The signature algorithm must be ed25519.")
    if parts.created > at + CLOCK_SKEW_SECONDS:
        raise _Refused("The signature is created in the future.")
    if parts.expires <= parts.created:
        raise _Refused("The signature expires before it is created.")
    if parts.expires < at:
        raise _Refused("The signature has expired.")
    try:
        signing_string = SIGNATURE_FORMAT.signing_string(parts, envelope)
        public_key.verify(parts.value, signing_string)
    except (InvalidSignature, ValueError):
        raise _Refused("The signature does not verify over the header and message.") from None


def _has_active_key(session: Session, client_id: str) -> bool:
    found = session.scalar(
        select(ClientSigningKey.key_id)
        .where(ClientSigningKey.client_id == client_id, ClientSigningKey.revoked_at.is_(None))
        .limit(1)
    )
    return found is not None


def _active_key(session: Session, client_id: str, key_id: str) -> Ed25519PublicKey:
    row = session.get(ClientSigningKey, (client_id, key_id))
    if row is None or row.revoked_at is not None:
        raise _Refused("The signature's key is not an active key of this client.")
    return _public_key(row.public_key)


def _public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = b64decode(text.strip())
        if len(raw) != 32:
            raise ValueError("not 32 bytes")
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, AttributeError) as error:
        raise _Refused("The public key is not the base64 of 32 raw ed25519 bytes.") from error


def _client_named(session: Session, name: str) -> OAuthClient:
    client = session.scalar(select(OAuthClient).where(OAuthClient.name == name))
    if client is None:
        raise ValueError(f"no client is named {name!r}")
    return client
