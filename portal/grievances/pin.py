"""The 6-digit PIN with which an anonymous reporter follows their grievance.

Shown once, never stored as such: the registry keeps a keyed hash of the
reference and the PIN (HMAC with a key derived from the portal's secret), so
the registry's data alone does not give the PINs away. The tracking page is
rate-limited: a million PINs cannot be tried from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

PIN_LENGTH = 6


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_LENGTH):0{PIN_LENGTH}d}"


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"portal grievance tracking PIN", hashlib.sha256).digest()


def pin_hash(reference: str, pin: str) -> str:
    return hmac.new(_key(), f"{reference}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_matches(case: dict, pin: str) -> bool:
    stored = (case.get("complainant") or {}).get("pin_hash")
    if not stored or not pin:
        return False
    return hmac.compare_digest(stored, pin_hash(case.get("reference", ""), pin))
