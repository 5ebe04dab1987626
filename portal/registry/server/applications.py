"""Applications to a programme: what was submitted and why, the commune that
handles it, the decision path, and the payments once enrolled."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from portal import gazetteer
from portal.registry.server.application_checks import (
    any_of,
    normalised_payment,
    payment_problems,
    start_of_day,
)
from portal.registry.server.audit import history_of, now
from portal.registry.server.errors import ValidationFailed
from portal.registry.server.kinds import (
    CONTENT,
    Filter,
    WorkflowKind,
    iso,
    meta,
    present_history,
    require_person,
)
from portal.registry.server.models import Application, Household, Person

# Kept in columns only (the registry fills them), not in the document.
_COLUMN_FIELDS = ("id", "reference", "commune_code")


def default_reference(record_id: str, year: int) -> str:
    """``AP-<year>-<6 digits>``: read aloud, always with a person or an id (not unique)."""
    return f"AP-{year:04d}-{uuid.UUID(record_id).int % 1_000_000:06d}"


def _defaults() -> dict:
    return {"facts": {}, "answers": {}, "eligibility": None, "documents_due_by": None}


class ApplicationKind(WorkflowKind):
    name = "applications"
    label = "application"
    model = Application
    initial_status = "submitted"
    subject_spid_columns = ("applicant_spid",)
    transitions = {
        "submitted": ("received", "documents_checked", "information_requested", "withdrawn"),
        "received": ("documents_checked", "information_requested", "withdrawn"),
        "information_requested": ("received", "withdrawn"),
        "documents_checked": ("approved", "refused", "information_requested", "withdrawn"),
        "approved": ("enrolled",),
        "refused": (),
        "enrolled": (),
        "withdrawn": (),
    }

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        applicant = require_person(session, content["applicant_spid"], f"{CONTENT}.applicant_spid")
        errors: list[tuple[str, str]] = []
        household_id = content.get("household_id")
        if household_id and session.get(Household, household_id) is None:
            errors.append((f"{CONTENT}.household_id", "No household has this id."))
        reference = self._reference(content, row, errors)
        commune = self._commune(content, row, applicant, errors)
        payments = [normalised_payment(payment) for payment in content.get("payments") or []]
        previous = row.data.get("payments", []) if row is not None else []
        errors += payment_problems(previous, payments, content["status"])
        if errors:
            raise ValidationFailed(errors)
        document = {
            **_defaults(),
            **{k: v for k, v in content.items() if k not in _COLUMN_FIELDS},
            "payments": payments,
        }
        columns = {
            "status": content["status"],
            "programme_id": content["programme_id"],
            "applicant_spid": content["applicant_spid"],
            "reference": reference,
            "commune_code": commune,
        }
        return document, columns

    @staticmethod
    def _reference(content: dict, row: Application | None, errors: list) -> str:
        given = content.get("reference")
        if row is None:
            return given or default_reference(content["id"], now().year)
        if given is not None and given != row.reference:
            errors.append(
                (f"{CONTENT}.reference", "The reference of an application never changes.")
            )
        return row.reference

    @staticmethod
    def _commune(
        content: dict, row: Application | None, applicant: Person, errors: list
    ) -> str | None:
        """The commune given, else the one already recorded, else the applicant's."""
        given = content.get("commune_code")
        if given is not None:
            if not gazetteer.is_commune(given):
                errors.append((f"{CONTENT}.commune_code", "No commune has this code."))
            return given
        if row is not None and row.commune_code:
            return row.commune_code
        return applicant.commune_code

    def filters(self) -> dict[str, Filter]:
        return {
            "applicant_spid": lambda value: Application.applicant_spid == value,
            "programme_id": any_of(Application.programme_id, "programme_id"),
            "application_status": any_of(
                Application.status, "application_status", allowed=self.transitions
            ),
            "commune_code": any_of(Application.commune_code, "commune_code"),
            "created_by": any_of(Application.created_by, "created_by"),
            "reference": lambda value: Application.reference == value.strip().upper(),
            "submitted_before": lambda value: (
                Application.created_at < start_of_day(value, "submitted_before")
            ),
        }

    def present(self, session: Session, row: Application) -> dict:
        entries = [present_history(e) for e in history_of(session, self.name, row.id)]
        return {
            **_defaults(),
            "payments": [],
            **row.data,
            **meta(row),
            "reference": row.reference,
            "commune_code": row.commune_code,
            "submitted_at": iso(row.created_at),
            "history": [e for e in entries if e["kind"] == "status_change"],
            "events": [e for e in entries if e["kind"] != "status_change"],
        }
