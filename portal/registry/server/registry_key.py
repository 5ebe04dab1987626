"""The registry's own ed25519 signing key, which signs its DCI answers and callbacks.

Settings: ``REGISTRY_SIGNING_KEY``, the base64 of a 32-byte ed25519 private
seed (from a secret store); when it is not set, a key generated once and kept
in the instance folder file ``registry-signing-key`` (mode 0600, created
atomically so workers starting together share one key). ``REGISTRY_SIGNING_KEY_ID``
(default ``registry-1``) names it in signatures: ``{REGISTRY_ID}|{key id}|ed25519``.
The key is loaded once, when the app is built; a malformed one stops the start.
Operators get the public key from ``GET /registry/signing-keys``.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from flask import Flask, current_app

from portal.registry.server.signature_format import b64decode, b64encode

log = logging.getLogger(__name__)

KEY_FILE = "registry-signing-key"
DEFAULT_KEY_ID = "registry-1"
_EXTENSION = "registry.signing_key"


@dataclass(frozen=True)
class RegistryKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key_b64(self) -> str:
        raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return b64encode(raw)


def load_registry_key(app: Flask) -> RegistryKey:
    """Read (or, the first time, make) the registry's key and keep it on ``app``."""
    configured = app.config.get("REGISTRY_SIGNING_KEY") or ""
    if configured:
        private_key = _from_seed(configured, "REGISTRY_SIGNING_KEY")
    else:
        private_key = _from_instance_file(Path(app.instance_path) / KEY_FILE)
    key_id = app.config.get("REGISTRY_SIGNING_KEY_ID") or DEFAULT_KEY_ID
    if "|" in key_id or not key_id.isprintable() or len(key_id) > 100:
        raise RuntimeError("REGISTRY_SIGNING_KEY_ID must be printable, without '|'")
    key = RegistryKey(key_id=key_id, private_key=private_key)
    app.extensions[_EXTENSION] = key
    return key


def registry_key() -> RegistryKey:
    """The current app's key (loaded when the app was built)."""
    return current_app.extensions[_EXTENSION]


def _from_seed(text: str, where: str) -> Ed25519PrivateKey:
    try:
        seed = b64decode(text.strip())
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise RuntimeError(f"{where} is not the base64 of a 32-byte ed25519 private key")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _from_instance_file(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        _create_key_file(path)
    if path.stat().st_mode & 0o077:
        log.warning("the registry signing key file is readable by others; chmod 600 it")
    return _from_seed(path.read_text(encoding="ascii"), str(path))


def _create_key_file(path: Path) -> None:
    """Write a new key to ``path`` unless another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    # mkstemp creates the file with mode 0600; the link appears whole or not at all.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".registry-signing-key-")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(b64encode(seed) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
            log.info("generated the registry signing key in the instance folder")
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
