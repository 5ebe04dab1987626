"""Grievances: reference number, complainant, due dates, events and decisions."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import gazetteer
from portal.registry.server.audit import Actor, add_history, history_of, now
from portal.registry.server.errors import ValidationFailed
from portal.registry.server.kinds import (
    CONTENT,
    Filter,
    WorkflowKind,
    meta,
    present_history,
)
from portal.registry.server.models import Grievance, Person
from portal.registry.server.phones import to_e164

# No 0/O or 1/I: references are read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ACKNOWLEDGE_WITHIN = timedelta(days=7)
RESOLVE_WITHIN = timedelta(days=30)


def new_reference() -> str:
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"GRV-{chars[:4]}-{chars[4:]}"


class GrievanceKind(WorkflowKind):
    name = "grievances"
    label = "grievance"
    model = Grievance
    initial_status = "received"
    subject_spid_columns = ("complainant_spid",)
    transitions = {
        "received": ("in_progress", "rejected"),
        "in_progress": ("escalated", "resolved"),
        "escalated": ("in_progress", "resolved"),
        "resolved": ("closed", "in_progress"),
        "rejected": ("closed",),
        "closed": (),
    }
    update_scopes = ("grievance.manage",)
    read_keys = ("id", "reference")

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        errors: list[tuple[str, str]] = []
        complainant = self._complainant(session, content["complainant"], errors)
        commune = content.get("commune_code")
        if commune and not gazetteer.is_commune(commune):
            errors.append((f"{CONTENT}.commune_code", "No commune has this code."))
        appeal_of = content.get("appeal_of")
        if appeal_of and (appeal_of == content.get("id") or not session.get(Grievance, appeal_of)):
            errors.append((f"{CONTENT}.appeal_of", "No other grievance has this id."))
        if errors:
            raise ValidationFailed(errors)
        today = now().date()
        document = {
            "confidential": False,
            "assignee": None,
            "acknowledge_by": (today + ACKNOWLEDGE_WITHIN).isoformat(),
            "resolve_by": (today + RESOLVE_WITHIN).isoformat(),
            "decision_code": None,
            "satisfaction": None,
            "appeal_of": None,
            **{k: v for k, v in content.items() if k != "id"},
            "complainant": complainant,
        }
        columns = {
            "status": content["status"],
            "category": content["category"],
            "commune_code": commune,
            "complainant_spid": complainant.get("spid"),
            "assignee": document["assignee"],
        }
        return document, columns

    @staticmethod
    def _complainant(session: Session, complainant: dict, errors: list) -> dict:
        field = f"{CONTENT}.complainant"
        cleaned = dict(complainant)
        if complainant["anonymous"]:
            for private in ("spid", "name"):
                if complainant.get(private):
                    errors.append((f"{field}.{private}", "An anonymous complaint has no name."))
        elif not complainant.get("spid") and not complainant.get("contact_phone"):
            errors.append((field, "Give an SPID or a contact phone, or complain anonymously."))
        spid = complainant.get("spid")
        if spid and session.scalar(select(Person.id).where(Person.spid == spid)) is None:
            errors.append((f"{field}.spid", "No person has this SPID."))
        phone = complainant.get("contact_phone")
        if phone:
            cleaned["contact_phone"] = to_e164(phone)
            if cleaned["contact_phone"] is None:
                errors.append((f"{field}.contact_phone", "Not a valid phone number."))
        return cleaned

    def filters(self) -> dict[str, Filter]:
        return {
            "complainant_spid": lambda value: Grievance.complainant_spid == value,
            "commune_code": lambda value: Grievance.commune_code == value,
            "assignee": lambda value: Grievance.assignee == value,
            "grievance_status": lambda value: Grievance.status == value,
            "category": lambda value: Grievance.category == value,
        }

    def before_insert(self, session: Session, row: Grievance) -> None:
        row.reference = new_reference()

    def after_write(
        self, session: Session, row: Grievance, previous_data: dict | None, actor: Actor
    ) -> None:
        before = (previous_data or {}).get("assignee")
        if previous_data is not None and before != row.data["assignee"]:
            add_history(
                session,
                self.name,
                row.id,
                actor,
                kind="assignment",
                reason=row.data["assignee"],
            )

    def present(self, session: Session, row: Grievance) -> dict:
        entries = [present_history(e) for e in history_of(session, self.name, row.id)]
        return {
            **row.data,
            **meta(row),
            "reference": row.reference,
            "history": [e for e in entries if e["kind"] == "status_change"],
            "events": [e for e in entries if e["kind"] != "status_change"],
        }
