"""Change requests: a person asks for their registered data to be corrected."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.registry.server.kinds import CONTENT, Filter, WorkflowKind, require_person
from portal.registry.server.models import ChangeRequest


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
        require_person(session, content["person_spid"], f"{CONTENT}.person_spid")
        document = {k: v for k, v in content.items() if k != "id"}
        return document, {"status": content["status"], "person_spid": content["person_spid"]}

    def filters(self) -> dict[str, Filter]:
        return {
            "person_spid": lambda value: ChangeRequest.person_spid == value,
            "request_status": lambda value: ChangeRequest.status == value,
        }
