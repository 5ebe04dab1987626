"""Grievances: reference number, complainant, events, decision, appeal."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.base import Actor
from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

GrievanceStatus = Literal["received", "in_progress", "escalated", "resolved", "closed", "rejected"]


class Complainant(TypedDict, total=False):
    anonymous: bool
    spid: str
    contact_phone: str
    name: str | None


class Grievance(TypedDict, total=False):
    id: str
    reference: str
    category: str
    description: str
    channel: str
    complainant: Complainant
    confidential: bool
    commune_code: str | None
    status: GrievanceStatus
    assignee: str | None
    acknowledge_by: str | None
    resolve_by: str | None
    decision_code: str | None
    satisfaction: int | None
    appeal_of: str | None
    history: list[HistoryEntry]
    events: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Grievances(RecordResource[Grievance]):
    name = "grievances"

    def read_by_reference(self, reference: str, *, actor: Actor) -> Grievance:
        return self._read_by({"reference": reference.strip().upper()}, actor)

    def add_event(
        self,
        grievance_id: str,
        kind: Literal["public_reply", "internal_note"],
        text: str,
        *,
        actor: Actor,
        if_match: str | None = None,
    ) -> Grievance:
        """Add a public reply (the complainant sees it) or an internal note."""
        return self.update(
            grievance_id,
            {},
            actor=actor,
            if_match=if_match,
            extra={"event": {"kind": kind, "text": text}},
        )
