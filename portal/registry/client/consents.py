"""Consent records (GovStack Consent BB shape)."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.base import Actor
from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource


class Consent(TypedDict, total=False):
    id: str
    individual_spid: str
    purpose: str
    legal_basis: str
    opt_in: bool
    state: Literal["given", "withdrawn"]
    collected_by: str
    collected_at: str
    method: Literal["in_person", "thumbprint"]  # how the person agreed
    form_number: str  # the paper form's number: required with a thumbprint
    withdrawn_at: str | None
    history: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Consents(RecordResource[Consent]):
    name = "consents"

    def withdraw(self, consent_id: str, *, actor: Actor, reason: str | None = None) -> Consent:
        return self.update(consent_id, {"state": "withdrawn"}, actor=actor, reason=reason)
