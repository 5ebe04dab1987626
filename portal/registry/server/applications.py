"""Applications to a programme: the facts submitted, the channel, the decision path."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.registry.server.errors import field_error
from portal.registry.server.kinds import CONTENT, Filter, WorkflowKind, iso, require_person
from portal.registry.server.models import Application, Household


class ApplicationKind(WorkflowKind):
    name = "applications"
    label = "application"
    model = Application
    initial_status = "submitted"
    subject_spid_columns = ("applicant_spid",)
    transitions = {
        "submitted": ("in_review", "withdrawn"),
        "in_review": ("needs_information", "approved", "rejected", "withdrawn"),
        "needs_information": ("in_review", "withdrawn"),
        "approved": (),
        "rejected": (),
        "withdrawn": (),
    }

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        require_person(session, content["applicant_spid"], f"{CONTENT}.applicant_spid")
        household_id = content.get("household_id")
        if household_id and session.get(Household, household_id) is None:
            raise field_error(f"{CONTENT}.household_id", "No household has this id.")
        document = {"facts": {}, **{k: v for k, v in content.items() if k != "id"}}
        columns = {
            "status": content["status"],
            "programme_id": content["programme_id"],
            "applicant_spid": content["applicant_spid"],
        }
        return document, columns

    def filters(self) -> dict[str, Filter]:
        return {
            "applicant_spid": lambda value: Application.applicant_spid == value,
            "programme_id": lambda value: Application.programme_id == value,
            "application_status": lambda value: Application.status == value,
        }

    def present(self, session: Session, row: Application) -> dict:
        return {**super().present(session, row), "submitted_at": iso(row.created_at)}
