"""Following a grievance: the only module of the tracking pages that calls the
registry client or the outbox.

A reference is short, so it is not unique: a case is found by its reference
together with the phone number it was reported with, the PIN of an anonymous
report, or the signed-in person (their SPID, else their verified phone). What
the reporter does (add information, say whether they are satisfied, reopen,
appeal) goes through the outbox, keyed by the case's version so that a double
tap sends once; each change of state texts them once, when the registry has it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from portal import outbox
from portal.grievances import deadlines, notify, states
from portal.grievances.pin import pin_hash, pin_matches
from portal.grievances.references import reference_of
from portal.outbox import Recipient, Submission, keys
from portal.registration.citizen import actor_for, owner_of
from portal.registry.client import Actor, Page, RegistryNotFound
from portal.registry_access import registry
from portal.web.identity import Citizen

RECORD_TYPE = "grievances"
PURPOSE = "grievance tracking"
PAGE_SIZE = 10
# Cases that may share one reference: about one in a million a year share one.
MOST_SHARING = 50
PUBLIC = Actor(actor="public:web", purpose=PURPOSE, on_behalf_of=None)

INFORMATION, SATISFIED, REOPEN, APPEAL = "information", "satisfied", "reopen", "appeal"
ACTIONS = (INFORMATION, SATISFIED, REOPEN, APPEAL)
INFORMATION_GIVEN = "information_given"
REOPENED_BY_REPORTER = "reopened_by_reporter"
APPEALED_BY_REPORTER = "appealed_by_reporter"
SATISFIED_REASON = "satisfied"
APPEAL_DETAIL = "appeal"  # the outbox key's detail of a new appeal case
# The id of the appeal made from one version of a case: a repeated request
# (a double tap, a resent form) makes the same appeal, not a second one.
APPEAL_IDS = uuid.UUID("5b0c7a52-4d0e-4c1e-9a55-3f1f1e0a6c13")


@dataclass(frozen=True)
class Proof:
    """How a person who is not signed in showed that a case is theirs: the
    phone number it was reported with (E.164), or the PIN of an anonymous report."""

    phone: str | None = None
    pin: str | None = None

    def fits(self, case: dict) -> bool:
        if self.phone:
            return (case.get("complainant") or {}).get("contact_phone") == self.phone
        return bool(self.pin) and pin_matches(case, self.pin)


def actor_of(citizen: Citizen | None) -> Actor:
    """Who acts: the signed-in citizen, else the public tracking page."""
    return actor_for(citizen, "grievance") if citizen else PUBLIC


def owner(citizen: Citizen | None) -> str | None:
    return owner_of(citizen) if citizen else None


# Finding a case


def find(reference: str, proof: Proof, actor: Actor) -> dict | None:
    """The case with this reference that the phone number or PIN fits (the
    newest, should two fit), else None: a wrong reference and a wrong phone
    number or PIN are the same answer."""
    if proof.phone:
        found = registry().grievances.list(
            actor=actor, reference=reference, contact_phone=proof.phone, page_size=1
        )
        return found.results[0] if found.results else None
    if not proof.pin:
        return None
    found = registry().grievances.list(
        actor=actor, reference=reference, anonymous="true", page_size=MOST_SHARING
    )
    return next((case for case in found.results if proof.fits(case)), None)


def read(case_id: str, actor: Actor) -> dict | None:
    try:
        return registry().grievances.read(case_id, actor=actor)
    except RegistryNotFound:
        return None


def tracked(case_id: str, proof: Proof, actor: Actor) -> dict | None:
    """The case kept in the session, as it is now, if the proof still fits it."""
    case = read(case_id, actor)
    return case if case is not None and proof.fits(case) else None


def belongs_to(citizen: Citizen, case: dict) -> bool:
    """Reported by the signed-in citizen: with their SPID, or with their verified phone."""
    complainant = case.get("complainant") or {}
    return bool(
        (citizen.spid and complainant.get("spid") == citizen.spid)
        or (citizen.phone and complainant.get("contact_phone") == citizen.phone)
    )


def _reporter(citizen: Citizen) -> str | None:
    """The registry's ``reporter`` filter for the citizen: their SPID and their phone."""
    known = [value for value in (citizen.spid, citizen.phone) if value]
    return ",".join(known) if known else None


def own_case(citizen: Citizen, reference: str) -> dict | None:
    """The signed-in citizen's case with this reference, else None: another
    person's case with the same reference is never listed."""
    reporter = _reporter(citizen)
    if reporter is None:
        return None
    found = registry().grievances.list(
        actor=actor_of(citizen), reference=reference, reporter=reporter, page_size=1
    )
    return found.results[0] if found.results else None


def own_cases_page(citizen: Citizen, page: int) -> Page:
    """The citizen's cases, newest first: reported with their SPID or their phone."""
    reporter = _reporter(citizen)
    if reporter is None:
        return Page(count=0, next=None, previous=None, results=[])
    return registry().grievances.list(
        actor=actor_of(citizen),
        ordering="-created_at",
        page=page,
        page_size=PAGE_SIZE,
        reporter=reporter,
    )


def waiting_reports(citizen: Citizen) -> list[keys.Waiting]:
    """The citizen's reports (and appeals) still waiting in the outbox, newest first."""
    return keys.waiting_new(owner_of(citizen), RECORD_TYPE)


def waiting_report(citizen: Citizen, reference: str) -> keys.Waiting | None:
    return next((w for w in waiting_reports(citizen) if w.reference == reference), None)


def actions_waiting(citizen: Citizen | None, case_id: str) -> list[str]:
    """What the signed-in citizen did on this case that the registry does not have yet."""
    if citizen is None:
        return []
    return keys.waiting_actions(owner_of(citizen), RECORD_TYPE, case_id, ACTIONS)


def appeal_against(case: dict, actor: Actor) -> dict | None:
    """The appeal case made of an appealed case (the newest)."""
    found = registry().grievances.list(actor=actor, appeal_of=case["id"], page_size=1)
    return found.results[0] if found.results else None


# What the reporter does


def _key(action: str, case: dict) -> str:
    return keys.submission_key(RECORD_TYPE, action, str(case.get("version", "")), case["id"])


def _told(case: dict, text_of) -> Recipient | None:
    """Who is texted once the registry has the change: the reporter's phone."""
    contact = notify.contact_of(case)
    if contact is None:
        return None
    phone, language = contact
    return Recipient(phone, language, on_delivery=text_of(language))


def _status_receipt(case: dict, state: str) -> Recipient | None:
    return _told(case, lambda language: notify.status_text(case["reference"], state, language))


def _update(case: dict, action: str, content: dict, *, actor, owner_name, **change) -> Submission:
    return outbox.submit(
        RECORD_TYPE,
        content,
        actor=actor,
        owner=owner_name,
        operation="update",
        record_id=case["id"],
        reference=case["reference"],
        key=_key(action, case),
        **change,
    )


def add_information(case: dict, text: str, *, actor: Actor, owner_name: str | None) -> Submission:
    """Information for the team, as an event of its own; the state does not
    change, so no text message."""
    return _update(
        case,
        INFORMATION,
        {},
        actor=actor,
        owner_name=owner_name,
        event={"kind": INFORMATION_GIVEN, "text": text},
    )


def say_satisfied(
    case: dict, satisfied: bool, *, actor: Actor, owner_name: str | None
) -> Submission:
    """Satisfied: the case is closed (and the reporter texted). Not satisfied:
    it stays as it is, and the reporter may reopen or appeal."""
    if not satisfied:
        return _update(case, SATISFIED, {"satisfied": False}, actor=actor, owner_name=owner_name)
    return _update(
        case,
        SATISFIED,
        {"satisfied": True, "status": states.CLOSED},
        actor=actor,
        owner_name=owner_name,
        status_change={"reason": SATISFIED_REASON, "note": None},
        receipt=_status_receipt(case, states.CLOSED),
    )


def reopen(
    case: dict, reason: str, today: dt.date, *, actor: Actor, owner_name: str | None
) -> Submission:
    """Open the case again, with new due dates counted from today."""
    acknowledge_by, resolve_by = deadlines.due_dates(case.get("category") or "", today)
    return _update(
        case,
        REOPEN,
        {
            "status": states.REOPENED,
            "satisfied": None,
            "acknowledge_by": acknowledge_by.isoformat(),
            "resolve_by": resolve_by.isoformat(),
        },
        actor=actor,
        owner_name=owner_name,
        status_change={"reason": REOPENED_BY_REPORTER, "note": reason},
        receipt=_status_receipt(case, states.REOPENED),
    )


@dataclass(frozen=True)
class Appeal:
    reference: str  # the new case's
    created: Submission
    moved: Submission


def appeal_content(case: dict, reason: str, today: dt.date, pin: str | None) -> dict:
    """The new case a supervisor decides: the same subject, place and reporter,
    confidential, with the appeal's due dates. An anonymous reporter's PIN (when
    they tracked with it) works for the new reference too."""
    appeal_id = str(uuid.uuid5(APPEAL_IDS, f"{case['id']}/{case.get('version', '')}"))
    reference = reference_of(appeal_id, today)
    category = case.get("category") or "other"
    acknowledge_by, resolve_by = deadlines.due_dates(category, today, appeal=True)
    complainant = {k: v for k, v in (case.get("complainant") or {}).items() if k != "pin_hash"}
    if pin and complainant.get("anonymous"):
        complainant["pin_hash"] = pin_hash(reference, pin)
    content = {
        "id": appeal_id,
        "reference": reference,
        "category": category,
        "programme_id": case.get("programme_id"),
        "commune_code": case.get("commune_code"),
        "description": reason,
        "channel": "web",
        "complainant": complainant,
        "appeal_of": case["id"],
        "confidential": True,
        "acknowledge_by": acknowledge_by.isoformat(),
        "resolve_by": resolve_by.isoformat(),
    }
    for inherited in ("excluded_staff", "subject_spid", "application_id"):
        if case.get(inherited):
            content[inherited] = case[inherited]
    return content


def appeal(
    case: dict,
    reason: str,
    today: dt.date,
    *,
    pin: str | None,
    actor: Actor,
    owner_name: str | None,
) -> Appeal:
    """Ask a supervisor to look at the decision again: the new, linked case
    first (if the registry refuses it, nothing changed), then the case itself
    becomes "appealed". Each texts the reporter once: the new reference, and
    the case's new state."""
    content = appeal_content(case, reason, today, pin)
    created = outbox.submit(
        RECORD_TYPE,
        content,
        actor=actor,
        owner=owner_name,
        reference=content["reference"],
        key=keys.submission_key(RECORD_TYPE, keys.NEW, APPEAL_DETAIL, content["id"]),
        receipt=_told(case, lambda language: notify.received_text(content["reference"], language)),
    )
    moved = _update(
        case,
        APPEAL,
        {"status": states.APPEALED},
        actor=actor,
        owner_name=owner_name,
        status_change={"reason": APPEALED_BY_REPORTER, "note": reason},
        receipt=_status_receipt(case, states.APPEALED),
    )
    return Appeal(content["reference"], created, moved)
