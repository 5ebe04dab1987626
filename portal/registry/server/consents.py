"""Consent records (GovStack Consent BB shape): given, then possibly withdrawn.

A consent may say how it was given (``method``): in person, or by thumbprint
on a paper form, whose number (``form_number``) is then required."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.errors import field_error
from portal.registry.server.kinds import CONTENT, Filter, WorkflowKind, iso, require_person
from portal.registry.server.models import Consent


class ConsentKind(WorkflowKind):
    name = "consents"
    label = "consent"
    model = Consent
    status_field = "state"
    initial_status = "given"
    subject_spid_columns = ("individual_spid",)
    transitions = {"given": ("withdrawn",), "withdrawn": ()}

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        require_person(session, content["individual_spid"], f"{CONTENT}.individual_spid")
        document = {k: v for k, v in content.items() if k != "id"}
        form_number = (document.pop("form_number", None) or "").strip()
        if form_number:
            document["form_number"] = form_number
        if document.get("method") == "thumbprint" and not document.get("form_number"):
            raise field_error(
                f"{CONTENT}.form_number", "A thumbprint consent needs the paper form's number."
            )
        if content["state"] == "withdrawn":
            earlier = row.data.get("withdrawn_at") if row is not None else None
            document["withdrawn_at"] = earlier or iso(now())
        else:
            document["withdrawn_at"] = None
        columns = {
            "state": content["state"],
            "purpose": content["purpose"],
            "individual_spid": content["individual_spid"],
        }
        return document, columns

    def filters(self) -> dict[str, Filter]:
        return {
            "individual_spid": lambda value: Consent.individual_spid == value,
            "purpose": lambda value: Consent.purpose == value,
            "state": lambda value: Consent.state == value,
        }
