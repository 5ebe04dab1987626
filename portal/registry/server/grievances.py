"""Grievances: a reference read aloud, the reporter, due dates, confidential
routing, escalation, decisions, reopening and appeals.

The registry keeps the rules every client must follow: the allowed
transitions, a confidential subject is always confidential, a case is reopened
once at most, an appeal is not appealed again, escalation happens once, the
decision time is the registry's, and a report of the same subject by the same
reporter within 30 days is linked to the earlier one (never merged).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from portal import gazetteer
from portal.registry.server.audit import Actor, add_history, history_of, now
from portal.registry.server.errors import ValidationFailed, field_error
from portal.registry.server.kinds import (
    CONTENT,
    Filter,
    Ordering,
    WorkflowKind,
    iso,
    meta,
    present_history,
)
from portal.registry.server.list_filters import a_date, any_of, start_of_day, yes_no
from portal.registry.server.models import Grievance, Person
from portal.registry.server.phones import to_e164

ACKNOWLEDGE_WITHIN = timedelta(days=7)
RESOLVE_WITHIN = timedelta(days=30)
REPEAT_WITHIN = timedelta(days=30)
CONFIDENTIAL_CATEGORIES = frozenset({"staff_conduct", "fraud", "abuse"})
DECIDED = frozenset({"resolved", "rejected"})
OPEN = ("received", "acknowledged", "investigating", "reopened")
# Kept in columns only (the registry fills them), not in the document.
_COLUMN_FIELDS = ("id", "reference")


def default_reference(record_id: str, year: int) -> str:
    """``GR-<year>-<6 digits>``: read aloud, always with a phone, PIN or person (not unique)."""
    return f"GR-{year:04d}-{uuid.UUID(record_id).int % 1_000_000:06d}"


def _defaults() -> dict:
    return {
        "confidential": False,
        "assignee": None,
        "programme_id": None,
        "escalated_at": None,
        "decision_code": None,
        "decided_at": None,
        "satisfaction": None,
        "satisfied": None,
        "appeal_of": None,
        "repeat_of": None,
        "application_id": None,
        "subject_spid": None,
        "change_request_id": None,
        "excluded_staff": [],
    }


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _reopened_before(session: Session, record_id: str) -> bool:
    return any(e.to_status == "reopened" for e in history_of(session, "grievances", record_id))


def _is_spid(text: str) -> bool:
    return len(text) == 11 and text.isascii() and text.isdigit()


def _reporter(value: str):
    """Reported by any of these SPIDs or phones (``spid,+855...``): a person's
    own grievances, given with their SPID or only with their phone."""
    items = value.split(",")
    if len(items) > 10 or any(not item for item in items):
        raise field_error("reporter", "Give up to 10 SPIDs or phone numbers, none empty.")
    spids = [item for item in items if _is_spid(item)]
    phones = [to_e164(item) or item for item in items if not _is_spid(item)]
    return or_(Grievance.complainant_spid.in_(spids), Grievance.contact_phone.in_(phones))


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class GrievanceKind(WorkflowKind):
    name = "grievances"
    label = "grievance"
    model = Grievance
    initial_status = "received"
    subject_spid_columns = ("complainant_spid",)
    transitions = {
        "received": ("acknowledged", "investigating", "resolved", "rejected"),
        "acknowledged": ("investigating", "resolved", "rejected"),
        "investigating": ("resolved", "rejected"),
        "reopened": ("investigating", "resolved", "rejected"),
        "resolved": ("closed", "reopened", "appealed"),
        "rejected": ("closed", "reopened", "appealed"),
        "closed": ("reopened", "appealed"),
        "appealed": ("closed",),
    }
    update_scopes = ("grievance.manage",)

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        errors: list[tuple[str, str]] = []
        complainant = self._complainant(session, content["complainant"], errors)
        commune = content.get("commune_code")
        if commune and not gazetteer.is_commune(commune):
            errors.append((f"{CONTENT}.commune_code", "No commune has this code."))
        record_id = content.get("id") or (row.id if row is not None else None)
        appeal_of = content.get("appeal_of")
        if appeal_of and (appeal_of == record_id or not session.get(Grievance, appeal_of)):
            errors.append((f"{CONTENT}.appeal_of", "No other grievance has this id."))
        reference = self._reference(content, row, errors)
        errors += self._rule_problems(session, content, row)
        if errors:
            raise ValidationFailed(errors)
        today = now().date()
        document = {
            **_defaults(),
            "acknowledge_by": (today + ACKNOWLEDGE_WITHIN).isoformat(),
            "resolve_by": (today + RESOLVE_WITHIN).isoformat(),
            **{k: v for k, v in content.items() if k not in _COLUMN_FIELDS},
            "complainant": complainant,
        }
        if document["category"] in CONFIDENTIAL_CATEGORIES:
            document["confidential"] = True
        document["excluded_staff"] = sorted(set(document["excluded_staff"] or []))
        if row is None:
            document["repeat_of"] = self._earlier_report(session, document, complainant)
            document["decided_at"] = None
        if content["status"] in DECIDED and (row is None or row.status != content["status"]):
            document["decided_at"] = iso(now())
        excluded = document["excluded_staff"]
        columns = {
            "reference": reference,
            "status": content["status"],
            "category": content["category"],
            "commune_code": commune,
            "complainant_spid": complainant.get("spid"),
            "contact_phone": complainant.get("contact_phone"),
            "assignee": document["assignee"],
            "programme_id": document["programme_id"],
            "confidential": bool(document["confidential"]),
            "appeal_of": document["appeal_of"],
            "acknowledge_by": _day(document["acknowledge_by"]),
            "resolve_by": _day(document["resolve_by"]),
            "escalated_at": _moment(document["escalated_at"]),
            "decided_at": _moment(document["decided_at"]),
            "excluded_staff": f" {' '.join(excluded)} " if excluded else None,
        }
        return document, columns

    @staticmethod
    def _reference(content: dict, row: Grievance | None, errors: list) -> str:
        given = content.get("reference")
        if row is None:
            return given or default_reference(content["id"], now().year)
        if given is not None and given != row.reference:
            errors.append((f"{CONTENT}.reference", "The reference of a grievance never changes."))
        return row.reference

    @staticmethod
    def _rule_problems(session: Session, content: dict, row: Grievance | None) -> list:
        """The rules of reopening, appealing, escalating and excluding staff."""
        problems = []
        status = content["status"]
        before = row.data if row is not None else {}
        moving = row is not None and row.status != status
        if moving and status == "reopened" and _reopened_before(session, row.id):
            problems.append((f"{CONTENT}.status", "A grievance is reopened once at most."))
        if moving and status == "appealed" and content.get("appeal_of"):
            problems.append((f"{CONTENT}.status", "An appeal is not appealed again."))
        if before.get("escalated_at") and content.get("escalated_at") != before["escalated_at"]:
            problems.append((f"{CONTENT}.escalated_at", "A grievance is escalated once."))
        excluded = set(content.get("excluded_staff") or [])
        if not set(before.get("excluded_staff") or []) <= excluded:
            problems.append(
                (f"{CONTENT}.excluded_staff", "Staff kept away from a case stay kept away.")
            )
        if content.get("assignee") and content["assignee"] in excluded:
            problems.append((f"{CONTENT}.assignee", "This person must not see this grievance."))
        return problems

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

    @staticmethod
    def _earlier_report(session: Session, document: dict, complainant: dict) -> str | None:
        """The latest report of the same subject by the same reporter (their SPID,
        else their phone) in the last 30 days: linked, never merged. An appeal is
        not a repeat."""
        spid, phone = complainant.get("spid"), complainant.get("contact_phone")
        if document.get("appeal_of"):
            return None  # an appeal follows its case by design
        if spid:
            same_reporter = Grievance.complainant_spid == spid
        elif phone:
            same_reporter = Grievance.contact_phone == phone
        else:
            return None
        return session.scalar(
            select(Grievance.id)
            .where(
                same_reporter,
                Grievance.category == document["category"],
                Grievance.created_at >= now() - REPEAT_WITHIN,
            )
            .order_by(Grievance.created_at.desc(), Grievance.id)
            .limit(1)
        )

    def filters(self) -> dict[str, Filter]:
        return {
            "complainant_spid": lambda value: Grievance.complainant_spid == value,
            "reporter": _reporter,
            "anonymous": yes_no(
                "anonymous",
                and_(Grievance.complainant_spid.is_(None), Grievance.contact_phone.is_(None)),
                or_(Grievance.complainant_spid.is_not(None), Grievance.contact_phone.is_not(None)),
            ),
            "contact_phone": lambda value: Grievance.contact_phone == (to_e164(value) or value),
            "reference": lambda value: Grievance.reference == value.strip().upper(),
            "commune_code": any_of(Grievance.commune_code, "commune_code"),
            "created_by": any_of(Grievance.created_by, "created_by"),
            "assignee": lambda value: Grievance.assignee == value,
            "assigned": yes_no(
                "assigned", Grievance.assignee.is_not(None), Grievance.assignee.is_(None)
            ),
            "grievance_status": any_of(
                Grievance.status, "grievance_status", allowed=self.transitions
            ),
            "category": any_of(Grievance.category, "category"),
            "programme_id": any_of(Grievance.programme_id, "programme_id"),
            "confidential": yes_no(
                "confidential", Grievance.confidential.is_(True), Grievance.confidential.is_(False)
            ),
            "is_appeal": yes_no(
                "is_appeal", Grievance.appeal_of.is_not(None), Grievance.appeal_of.is_(None)
            ),
            "appeal_of": lambda value: Grievance.appeal_of == value,
            "escalated": yes_no(
                "escalated", Grievance.escalated_at.is_not(None), Grievance.escalated_at.is_(None)
            ),
            "due_before": lambda value: Grievance.resolve_by < a_date(value, "due_before"),
            "due_from": lambda value: Grievance.resolve_by >= a_date(value, "due_from"),
            "acknowledge_before": lambda value: (
                Grievance.acknowledge_by < a_date(value, "acknowledge_before")
            ),
            "created_after": lambda value: (
                Grievance.created_at >= start_of_day(value, "created_after")
            ),
            "decided_after": lambda value: (
                Grievance.decided_at >= start_of_day(value, "decided_after")
            ),
            "visible_to": lambda value: or_(
                Grievance.excluded_staff.is_(None),
                ~Grievance.excluded_staff.contains(f" {value} ", autoescape=True),
            ),
        }

    def orderings(self) -> dict[str, Ordering]:
        due = (Grievance.resolve_by.is_(None), Grievance.resolve_by)
        return {
            **super().orderings(),
            "resolve_by": due,
            "-resolve_by": (Grievance.resolve_by.is_(None), Grievance.resolve_by.desc()),
            "escalated_first": (Grievance.escalated_at.is_(None), *due),
        }

    def after_write(
        self, session: Session, row: Grievance, previous_data: dict | None, actor: Actor
    ) -> None:
        if previous_data is None:
            return
        before = previous_data.get("assignee")
        if before != row.data["assignee"]:
            add_history(
                session, self.name, row.id, actor, kind="assignment", reason=row.data["assignee"]
            )
        if row.data.get("escalated_at") and not previous_data.get("escalated_at"):
            add_history(session, self.name, row.id, actor, kind="escalation", reason="deadline")

    def present(self, session: Session, row: Grievance) -> dict:
        entries = [present_history(e) for e in history_of(session, self.name, row.id)]
        return {
            **_defaults(),
            **row.data,
            **meta(row),
            "reference": row.reference,
            "history": [e for e in entries if e["kind"] == "status_change"],
            "events": [e for e in entries if e["kind"] != "status_change"],
        }
