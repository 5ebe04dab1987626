"""Change requests: a person asks for their registered data to be corrected, or
reports a change in their household; approving one applies it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.audit import Actor
from portal.registry.server.change_request_checks import (
    DEFAULT_BIRTH_STATUS,
    HOUSEHOLD_TYPES,
    PERSON_FIELD_TYPES,
    checked_document,
)
from portal.registry.server.change_request_effects import apply_approved
from portal.registry.server.errors import ValidationFailed
from portal.registry.server.kinds import CONTENT, Filter, WorkflowKind
from portal.registry.server.list_filters import any_of
from portal.registry.server.models import ChangeRequest, Person

# What the request asks for; the rest (justification, status) may change freely.
REQUEST_FIELDS = (
    "person_spid",
    "request_type",
    "proposed_changes",
    "member_spid",
    "household_status",
)
REQUEST_TYPES = tuple(sorted(PERSON_FIELD_TYPES | HOUSEHOLD_TYPES | {"link_phone"}))
# Returned for every request, also those stored before these fields existed.
_ABSENT = {
    "proposed_changes": {},
    "member_spid": None,
    "household_status": None,
    "applied_at": None,
    "new_person_spid": None,
}


class ChangeRequestKind(WorkflowKind):
    name = "change-requests"
    label = "change request"
    model = ChangeRequest
    initial_status = "submitted"
    subject_spid_columns = ("person_spid",)
    transitions = {
        "submitted": ("in_review", "withdrawn"),
        "in_review": ("approved", "rejected"),
        "approved": (),
        "rejected": (),
        "withdrawn": (),
    }

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        changed = self._changed_request_fields(content, row)
        if row is not None and row.status == "approved" and changed:
            message = "An approved request has been applied; its content cannot change."
            raise ValidationFailed([(f"{CONTENT}.{name}", message) for name in changed])
        if row is None or changed or self._becomes_approved(content, row):
            document = checked_document(session, content)
        else:
            # Only the status or the justification changes: a request about a
            # person who has since died can still be rejected or withdrawn.
            document = {k: v for k, v in content.items() if k != "id"}
        # Absent and empty are the same proposal: a retry that spells it out changes nothing.
        document["proposed_changes"] = document.get("proposed_changes") or {}
        return document, {"status": content["status"], "person_spid": content["person_spid"]}

    @staticmethod
    def _changed_request_fields(content: dict, row: ChangeRequest | None) -> list[str]:
        if row is None:
            return []
        asked, stored = _what_is_asked(content), _what_is_asked(row.data)
        return [name for name in REQUEST_FIELDS if asked[name] != stored[name]]

    @staticmethod
    def _becomes_approved(content: dict, row: ChangeRequest) -> bool:
        return content["status"] == "approved" and row.status != "approved"

    def after_write(
        self, session: Session, row: ChangeRequest, previous_data: dict | None, actor: Actor
    ) -> None:
        was_approved = previous_data is None or previous_data["status"] == "approved"
        if row.status == "approved" and not was_approved:
            apply_approved(session, row, actor)

    def filters(self) -> dict[str, Filter]:
        in_communes = any_of(Person.commune_code, "commune_code")
        return {
            "person_spid": lambda value: ChangeRequest.person_spid == value,
            "request_status": any_of(
                ChangeRequest.status, "request_status", allowed=self.transitions
            ),
            "request_type": any_of(
                ChangeRequest.data["request_type"].as_string(),
                "request_type",
                allowed=REQUEST_TYPES,
            ),
            # Requests about people who live in these communes (a commune
            # office's work list): the person's commune now, not when they asked.
            "commune_code": lambda value: ChangeRequest.person_spid.in_(
                select(Person.spid).where(in_communes(value))
            ),
        }

    def present(self, session: Session, row: ChangeRequest) -> dict:
        return {**_ABSENT, **super().present(session, row)}


def _what_is_asked(document: dict) -> dict:
    """The request's fields with their defaults, so that a retried write that
    leaves a default out (or spells it out) is the same request."""
    asked = {name: document.get(name) for name in REQUEST_FIELDS}
    asked["proposed_changes"] = asked["proposed_changes"] or {}
    if asked["request_type"] == "household_birth":
        asked["household_status"] = asked["household_status"] or DEFAULT_BIRTH_STATUS
    return asked
