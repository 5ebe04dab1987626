"""Symmetric encryption for small secrets the portal must be able to read back
(staff authenticator secrets): Fernet (AES-CBC + HMAC, from
`cryptography`) under a key derived from PORTAL_SECRET_KEY, one key per purpose.

Changing PORTAL_SECRET_KEY therefore requires every staff member's
authenticator to be set up again (`flask staff reset-totp`).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@lru_cache(maxsize=16)
def fernet_for(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
