"""Receiving a DCI message: the body read and checked against the contract,
encryption refused, and the sender's signature verified."""

from __future__ import annotations

from dataclasses import dataclass

from portal.registry.server import signatures
from portal.registry.server.auth import Caller
from portal.registry.server.contract import validate_body
from portal.registry.server.dci_envelope import refuse_encrypted
from portal.registry.server.json_body import read_json_body
from portal.registry.server.sessions import request_session


@dataclass(frozen=True)
class Received:
    body: dict
    signed: bool  # the sender signed it: the answer is signed too


def receive(path: str, caller: Caller) -> Received:
    """The message of a DCI operation at ``path``, or the error it earns:
    422 off the contract, 400 encrypted, 401 a bad or missing signature."""
    body = validate_body(read_json_body(), path, "post")
    refuse_encrypted(body)
    signed = signatures.verify_request(request_session(), body, caller.client_id)
    return Received(body, signed)
