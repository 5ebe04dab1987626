"""Applications to a programme and their decision history."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

ApplicationStatus = Literal[
    "submitted", "in_review", "needs_information", "approved", "rejected", "withdrawn"
]


class Application(TypedDict, total=False):
    id: str
    programme_id: str
    applicant_spid: str
    household_id: str | None
    facts: dict
    channel: str
    status: ApplicationStatus
    submitted_at: str
    history: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Applications(RecordResource[Application]):
    name = "applications"
