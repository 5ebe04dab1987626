"""Signing DCI requests as an operator's system would, written from the documented
format (not from the registry's code), for tests of signed exchanges.

Signing string: ``(created): {created}\\n(expires): {expires}\\ndigest: BLAKE-512={b64}``
with ``b64`` the base64 of BLAKE2b-512 of the canonical JSON (sorted keys, no
spaces, UTF-8) of ``{"header": ..., "message": ...}``; the signature is the
base64 ed25519 signature of that string.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    """The base64 of the raw 32-byte public key, as ``add-key`` takes it."""
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def signing_string(header: dict, message: dict, created: int, expires: int) -> bytes:
    canonical = json.dumps(
        {"header": header, "message": message},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    digest = base64.b64encode(hashlib.blake2b(canonical, digest_size=64).digest()).decode()
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}".encode()


def signature_text(sender_id: str, key_id: str, created: int, expires: int, value: str) -> str:
    return (
        f'Signature:  namespace="dci", kidId="{sender_id}|{key_id}|ed25519", '
        f'algorithm="ed25519", created="{created}", expires="{expires}", '
        f'headers="(created) (expires) digest", signature="{value}"'
    )


def sign_request(
    body: dict,
    private_key: Ed25519PrivateKey,
    sender_id: str,
    key_id: str,
    created: int | None = None,
    expires: int | None = None,
) -> dict:
    """``body`` (header and message) with a ``signature`` by ``private_key``;
    ``sender_id`` goes into the key id (normally the header's sender_id)."""
    created = int(time.time()) if created is None else created
    expires = created + 600 if expires is None else expires
    header, message = body["header"], body["message"]
    value = private_key.sign(signing_string(header, message, created, expires))
    text = signature_text(sender_id, key_id, created, expires, base64.b64encode(value).decode())
    return {"signature": text, "header": header, "message": message}
