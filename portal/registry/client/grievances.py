"""Grievances: reference number, complainant, due dates, events, decision, appeal."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.base import Actor
from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

GrievanceStatus = Literal[
    "received",
    "acknowledged",
    "investigating",
    "resolved",
    "rejected",
    "closed",
    "reopened",
    "appealed",
]
EventKind = Literal["public_reply", "internal_note", "information_given"]


class Complainant(TypedDict, total=False):
    anonymous: bool
    spid: str
    contact_phone: str
    name: str | None
    language: str
    pin_hash: str


class Grievance(TypedDict, total=False):
    id: str
    reference: str  # GR-<year>-<6 digits>: not unique
    category: str
    programme_id: str | None
    description: str
    channel: str
    complainant: Complainant
    confidential: bool
    commune_code: str | None
    status: GrievanceStatus
    assignee: str | None
    acknowledge_by: str | None
    resolve_by: str | None
    escalated_at: str | None
    decision_code: str | None
    decided_at: str | None
    satisfaction: int | None
    satisfied: bool | None
    appeal_of: str | None
    repeat_of: str | None
    application_id: str | None
    subject_spid: str | None
    change_request_id: str | None
    excluded_staff: list[str]
    history: list[HistoryEntry]
    events: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Grievances(RecordResource[Grievance]):
    name = "grievances"

    def add_event(
        self,
        grievance_id: str,
        kind: EventKind,
        text: str,
        *,
        actor: Actor,
        if_match: str | None = None,
    ) -> Grievance:
        """Add a public reply (the complainant sees it), an internal note (they
        never do), or information the complainant gave."""
        return self.update(
            grievance_id,
            {},
            actor=actor,
            if_match=if_match,
            extra={"event": {"kind": kind, "text": text}},
        )
