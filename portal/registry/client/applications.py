"""Applications to a programme: what was submitted and why, the decision
history, events, and the payments once enrolled."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.base import Actor
from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

ApplicationStatus = Literal[
    "submitted",
    "received",
    "information_requested",
    "documents_checked",
    "approved",
    "refused",
    "enrolled",
    "withdrawn",
]
EligibilityStatus = Literal[
    "eligible", "likely_eligible", "not_eligible", "needs_information", "ended"
]
ApplicationEventKind = Literal["information_given", "internal_note"]


class EligibilityReason(TypedDict):
    code: str
    text: str


class ApplicationEligibility(TypedDict):
    """What the portal worked out at submission."""

    status: EligibilityStatus
    reasons: list[EligibilityReason]
    evaluated_on: str  # ISO date


class Payment(TypedDict, total=False):
    """One payment to an enrolled applicant; never changed once recorded."""

    id: str
    paid_on: str  # ISO date
    period: str  # YYYY-MM
    amount_riel: int
    provider_reference: str | None


class Application(TypedDict, total=False):
    id: str
    reference: str  # AP-<year>-<6 digits>; not unique
    programme_id: str
    applicant_spid: str
    household_id: str | None
    commune_code: str | None
    facts: dict
    answers: dict
    eligibility: ApplicationEligibility | None
    documents_due_by: str | None
    payments: list[Payment]
    channel: str
    status: ApplicationStatus
    submitted_at: str
    history: list[HistoryEntry]
    events: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Applications(RecordResource[Application]):
    name = "applications"

    def add_event(
        self,
        application_id: str,
        kind: ApplicationEventKind,
        text: str,
        *,
        actor: Actor,
        if_match: str | None = None,
    ) -> Application:
        """Record information the person gave, or an internal note; the same event
        sent twice in a row by the same actor is recorded once."""
        return self.update(
            application_id,
            {},
            actor=actor,
            if_match=if_match,
            extra={"event": {"kind": kind, "text": text}},
        )
