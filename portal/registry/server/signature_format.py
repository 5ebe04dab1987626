"""The text of a DCI message signature: how it is written, read, and what it signs.

The DCI specification shows the ``signature`` field of an envelope as::

    Signature:  namespace="dci", kidId="{sender_id}|{unique_key_id}|{algorithm}",
    algorithm="ed25519", created="1606970629", expires="1607030629",
    headers="(created) (expires) digest", signature="Base64(signing content)"

(one line) but does not say what the signing content is, and implementations
(OpenSPP, OpenG2P) differ. Each way of writing a signature is therefore a
``SignatureFormat`` (a parser, a formatter and the signing string), and one is
implemented here, ``DCI_ED25519``:

- Parameters are ``name="value"`` pairs separated by commas, after an optional
  ``Signature:`` prefix. Required: ``namespace`` (``dci``, or ``spdci`` as in
  the specification's MsgSignature example), ``kidId`` (or ``keyId``, not both),
  ``algorithm`` (``ed25519``), ``created`` and ``expires`` (Unix seconds),
  ``headers`` (exactly ``(created) (expires) digest``) and ``signature``. No
  other parameter, none twice, every value in double quotes (the official
  example leaves the last quote out; a signature without it is refused).
- The key id is ``{sender_id}|{key_id}|ed25519``: the message header's
  ``sender_id``, the sender's own name for the key, the algorithm.
- Signing string (UTF-8, lines joined by a single ``\\n``, no newline at the end)::

      (created): {created}
      (expires): {expires}
      digest: BLAKE-512={digest}

  where ``{created}`` and ``{expires}`` are the values as written in the
  signature and ``{digest}`` is the standard base64 (with padding) of the
  BLAKE2b-512 hash of the canonical JSON of ``{"header": header, "message":
  message}``. Canonical JSON: keys sorted, no whitespace (``","`` and ``":"``
  separators), non-ASCII characters as themselves (not ``\\u`` escapes),
  encoded UTF-8; Python's ``json.dumps(value, sort_keys=True,
  separators=(",", ":"), ensure_ascii=False)``. Numbers are written as Python
  writes them; senders should avoid fractional numbers in signed messages.
- ``signature`` is the standard base64 of the 64-byte ed25519 signature of the
  signing string.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Protocol

ALGORITHM = "ed25519"


class MalformedSignature(ValueError):
    """The signature text does not follow the format."""


@dataclass(frozen=True)
class SignatureParts:
    """What a signature says: who signed, with which key, when, and the value."""

    sender_id: str
    key_id: str
    algorithm: str
    created: int
    expires: int
    value: bytes


class SignatureFormat(Protocol):
    """One way of writing a message signature."""

    def parse(self, text: str) -> SignatureParts: ...

    def format(self, parts: SignatureParts) -> str: ...

    def signing_string(self, parts: SignatureParts, envelope: dict) -> bytes: ...


def canonical_json(value: object) -> bytes:
    """The canonical JSON bytes of ``value`` (raises ValueError when not encodable)."""
    try:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")
    except (TypeError, UnicodeEncodeError) as error:
        raise ValueError("the message cannot be written as canonical JSON") from error


def b64decode(text: str) -> bytes:
    """Standard base64 with padding, strictly (raises ValueError)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not base64") from error


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_PREFIX = re.compile(r"\s*Signature:\s*", re.IGNORECASE)
_PARAMETER = re.compile(r'\s*([A-Za-z]{1,20})="([^"\x00-\x1f\x7f]{0,1000})"\s*(,|$)')
_SECONDS = re.compile(r"0|[1-9][0-9]{0,11}")
_KEY_ID = re.compile(r"[^|\x00-\x1f\x7f]{1,100}")


class DciEd25519Format:
    """The format of the DCI examples, with the signing string defined above."""

    NAMESPACES = ("dci", "spdci")
    HEADERS = "(created) (expires) digest"
    _REQUIRED = {"namespace", "algorithm", "created", "expires", "headers", "signature"}

    def parse(self, text: str) -> SignatureParts:
        found = self._parameters(text)
        kid_names = {"kidId", "keyId"} & found.keys()
        if len(kid_names) != 1:
            raise MalformedSignature("exactly one of kidId and keyId is needed")
        if found.keys() - kid_names != self._REQUIRED:
            raise MalformedSignature("the parameters are not the expected ones")
        if found["namespace"] not in self.NAMESPACES or found["headers"] != self.HEADERS:
            raise MalformedSignature("unexpected namespace or headers")
        sender_id, key_id, kid_algorithm = _split_kid(found[kid_names.pop()])
        if kid_algorithm != found["algorithm"]:
            raise MalformedSignature("the key id and the algorithm disagree")
        if not (_SECONDS.fullmatch(found["created"]) and _SECONDS.fullmatch(found["expires"])):
            raise MalformedSignature("created and expires must be Unix seconds")
        try:
            value = b64decode(found["signature"])
        except ValueError as error:
            raise MalformedSignature("the signature value is not base64") from error
        return SignatureParts(
            sender_id=sender_id,
            key_id=key_id,
            algorithm=found["algorithm"],
            created=int(found["created"]),
            expires=int(found["expires"]),
            value=value,
        )

    def format(self, parts: SignatureParts) -> str:
        kid = f"{parts.sender_id}|{parts.key_id}|{parts.algorithm}"
        return (
            f'Signature:  namespace="dci", kidId="{kid}", algorithm="{parts.algorithm}", '
            f'created="{parts.created}", expires="{parts.expires}", '
            f'headers="{self.HEADERS}", signature="{b64encode(parts.value)}"'
        )

    def signing_string(self, parts: SignatureParts, envelope: dict) -> bytes:
        content = {"header": envelope.get("header"), "message": envelope.get("message")}
        digest = hashlib.blake2b(canonical_json(content), digest_size=64).digest()
        return (
            f"(created): {parts.created}\n"
            f"(expires): {parts.expires}\n"
            f"digest: BLAKE-512={b64encode(digest)}"
        ).encode("ascii")

    @staticmethod
    def _parameters(text: str) -> dict[str, str]:
        prefix = _PREFIX.match(text)
        position = prefix.end() if prefix else 0
        found: dict[str, str] = {}
        separator = ","
        while separator:
            match = _PARAMETER.match(text, position)
            if match is None:
                raise MalformedSignature('not a list of name="value" parameters')
            name, value, separator = match.groups()
            if name in found:
                raise MalformedSignature("a parameter is given twice")
            found[name] = value
            position = match.end()
        return found


def _split_kid(kid: str) -> tuple[str, str, str]:
    """``{sender_id}|{key_id}|{algorithm}``; the sender id may itself hold ``|``."""
    pieces = kid.rsplit("|", 2)
    if len(pieces) != 3 or not pieces[0] or not _KEY_ID.fullmatch(pieces[1]):
        raise MalformedSignature("the key id is not sender_id|key_id|algorithm")
    return pieces[0], pieces[1], pieces[2]


DCI_ED25519 = DciEd25519Format()

# The formats the registry knows, by name; one is implemented.
FORMATS: dict[str, SignatureFormat] = {"dci-ed25519": DCI_ED25519}
