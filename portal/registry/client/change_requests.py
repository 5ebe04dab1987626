"""Change requests: corrections a person asks for, with their review history."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

ChangeRequestStatus = Literal["submitted", "in_review", "approved", "rejected", "withdrawn"]


class ChangeRequest(TypedDict, total=False):
    id: str
    person_spid: str
    request_type: str
    proposed_changes: dict
    justification: str | None
    status: ChangeRequestStatus
    history: list[HistoryEntry]
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class ChangeRequests(RecordResource[ChangeRequest]):
    name = "change-requests"
