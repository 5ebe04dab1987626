"""Change requests: corrections a person asks for, with their review history."""

from __future__ import annotations

from typing import Literal, TypedDict

from portal.registry.client.history import HistoryEntry
from portal.registry.client.resource import RecordResource

ChangeRequestStatus = Literal["submitted", "in_review", "approved", "rejected", "withdrawn"]
ChangeRequestType = Literal[
    "name",
    "phone_number",
    "address",
    "birth_date",
    "identifier",
    "disability",
    "other",
    "link_phone",
    "household_birth",
    "household_member_left",
    "death",
]
NewMemberStatus = Literal["spouse", "father", "mother", "child", "other"]


class ChangeRequest(TypedDict, total=False):
    id: str
    person_spid: str
    request_type: ChangeRequestType
    proposed_changes: dict
    member_spid: str | None  # household_member_left, death: the member concerned
    household_status: NewMemberStatus | None  # household_birth: the baby's place (child)
    justification: str | None
    status: ChangeRequestStatus
    history: list[HistoryEntry]
    applied_at: str | None  # set when the approved request was applied
    new_person_spid: str | None  # an applied household_birth: the baby's SPID
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class ChangeRequests(RecordResource[ChangeRequest]):
    name = "change-requests"
