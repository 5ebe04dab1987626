"""Applications: the only module of the feature that calls the registry client
or the outbox.

Every citizen submission (an application, an answer to the office, a
withdrawal) goes through the outbox: stored first, delivered at once when the
registry answers, by the worker later when it does not. An application still
waiting has a reference and a date but is not yet in the registry; its
programme is carried in its outbox key.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from portal import outbox
from portal.applications import notify, states
from portal.applications.draft import Draft
from portal.changes.services import name_of
from portal.eligibility.conditions import age_in_months
from portal.eligibility.services import facts_of
from portal.i18n import current_language
from portal.outbox import Recipient, Submission, keys
from portal.registration.citizen import actor_for, owner_of
from portal.registry.client import Page, RegistryError, RegistryUnavailable
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.applications")

PURPOSE = "application"
RECORD_TYPE = "applications"
PAGE_SIZE = 10
MOST_MEMBERS = 40  # the registry's limit for one household
CHILD_UNDER_MONTHS = 24
NEW, WITHDRAW, ANSWER = keys.NEW, "withdraw", "answer"
INFORMATION_GIVEN = "information_given"


def reference_of(record_id: str, day: dt.date) -> str:
    """The reference the registry gives an application created on `day`."""
    return f"AP-{day.year}-{uuid.UUID(record_id).int % 1_000_000:06d}"


def _actor(citizen: Citizen):
    return actor_for(citizen, PURPOSE)


def _key(kind: str, detail: str, record_id: str) -> str:
    return keys.submission_key(RECORD_TYPE, kind, detail, record_id)


# What the registry knows of the applicant


def _full_name(name: dict | None) -> str:
    name = name or {}
    return " ".join(filter(None, (name.get("surname"), name.get("given_name"))))


def applicant_of(citizen: Citizen) -> dict[str, Any]:
    """What the registry says of the applicant and their household, as the
    draft keeps it: shown on the pages, used as facts, never asked again."""
    actor = _actor(citizen)
    person = registry().persons.read(citizen.person_id, actor=actor)
    household = None
    if person.get("household_identifier"):
        household = registry().households.read(person["household_identifier"], actor=actor)
    address = person.get("address") or (household or {}).get("address") or {}
    idpoor = (household or {}).get("idpoor") or {}
    told: dict[str, Any] = {}
    if idpoor and not idpoor.get("verified_by"):
        told["household.idpoor_level"] = idpoor.get("level")
        if idpoor.get("expiry"):
            told["household.equity_card_expiry"] = idpoor["expiry"]
    receipt = Recipient.of_person(person)
    return {
        "spid": person.get("spid"),
        "name_km": _full_name(person.get("name_km")),
        "name_latin": _full_name(person.get("name")),
        "birth_date": person.get("birth_date"),
        "sex": person.get("sex"),
        "village_code": address.get("village_code"),
        "household_id": (household or {}).get("id"),
        "card": {
            "level": idpoor.get("level"),
            "expiry": idpoor.get("expiry"),
            "verified": bool(idpoor.get("verified_by")),
        }
        if idpoor
        else None,
        "known": facts_of(person, household),
        "told": told,
        "receipt": {"phone": receipt.phone, "language": receipt.language} if receipt else None,
    }


def children_under_2(citizen: Citizen, household_id: str | None, as_of: dt.date) -> list[dict]:
    """The household's children under 2 as the registry has them, youngest first."""
    if not household_id:
        return []
    found = registry().search.by_id(
        "HOUSEHOLD_ID", household_id, actor=_actor(citizen), page_size=MOST_MEMBERS
    )
    children = []
    for record in found.records:
        born = record.get("birth_date")
        if record.get("spid") in (None, citizen.spid) or not born:
            continue
        if record.get("status", "active") != "active":
            continue
        if 0 <= age_in_months(dt.date.fromisoformat(born), as_of) < CHILD_UNDER_MONTHS:
            children.append({"spid": record["spid"], "name": name_of(record), "birth_date": born})
    return sorted(children, key=lambda child: child["birth_date"], reverse=True)


def person_or_none(citizen: Citizen) -> dict | None:
    """The citizen's record, or None when the registry cannot say now."""
    try:
        return registry().persons.read(citizen.person_id, actor=_actor(citizen))
    except RegistryError as error:
        logger.info("citizen's record not read: %s", type(error).__name__)
        return None


# Reading applications


def applications_page(citizen: Citizen, page: int) -> Page:
    """The citizen's applications in the registry, newest first."""
    return registry().applications.list(
        actor=_actor(citizen),
        applicant_spid=citizen.spid,
        ordering="-created_at",
        page=page,
        page_size=PAGE_SIZE,
    )


def waiting_applications(citizen: Citizen) -> list[keys.Waiting]:
    """The citizen's applications still waiting in the outbox, newest first
    (`detail`: the programme)."""
    return keys.waiting_new(owner_of(citizen), RECORD_TYPE)


def waiting_by_reference(citizen: Citizen, reference: str) -> keys.Waiting | None:
    return next((w for w in waiting_applications(citizen) if w.reference == reference), None)


def change_waiting(citizen: Citizen, application_id: str) -> str | None:
    """A withdrawal or an answer of the citizen's for this application that
    the registry does not have yet: "withdraw" or "answer"."""
    waiting = keys.waiting_actions(
        owner_of(citizen), RECORD_TYPE, application_id, (WITHDRAW, ANSWER)
    )
    return waiting[0] if waiting else None


def application_by_reference(citizen: Citizen, reference: str) -> dict | None:
    """The citizen's own application with this reference (the newest, should
    two share one), or None: another person's is never listed."""
    if not citizen.spid:
        return None
    found = registry().applications.list(
        actor=_actor(citizen),
        applicant_spid=citizen.spid,
        reference=reference,
        ordering="-created_at",
        page_size=1,
    )
    return found.results[0] if found.results else None


def open_application(citizen: Citizen, programme: str) -> dict | keys.Waiting | None:
    """The citizen's open application for this programme (in the registry, or
    still waiting in the outbox), or None."""
    waiting = next((w for w in waiting_applications(citizen) if w.detail == programme), None)
    if waiting is not None:
        return waiting
    found = registry().applications.list(
        actor=_actor(citizen),
        applicant_spid=citizen.spid,
        programme_id=programme,
        application_status=",".join(sorted(states.OPEN)),
        ordering="-created_at",
        page_size=1,
    )
    return found.results[0] if found.results else None


def id_of(application: dict | keys.Waiting) -> str:
    return application.id if isinstance(application, keys.Waiting) else application.get("id", "")


def open_application_or_none(citizen: Citizen, programme: str) -> dict | keys.Waiting | None:
    """As open_application; None when the registry cannot say now (it is
    checked again by the office)."""
    try:
        return open_application(citizen, programme)
    except RegistryUnavailable:
        return None


# Writing


@dataclass(frozen=True)
class Sent:
    submission: Submission
    reference: str
    receipt: bool  # a text message was sent with the reference


def send(citizen: Citizen, draft: Draft, content: dict) -> Sent:
    """Send the application through the outbox (its reference is in `content`).
    Raises the registry's refusal (RegistryValidationError, ...) when it
    refuses at once."""
    receipt = draft.applicant.get("receipt")
    recipient = Recipient(receipt["phone"], receipt["language"]) if receipt else None
    if recipient is None and citizen.phone:
        recipient = Recipient(citizen.phone, current_language())
    submission = outbox.submit(
        RECORD_TYPE,
        content,
        actor=_actor(citizen),
        owner=owner_of(citizen),
        reference=content["reference"],
        receipt=recipient,
        key=_key(NEW, content["programme_id"], content["id"]),
    )
    return Sent(submission, content["reference"], recipient is not None)


def fresh_applicant_or_none(citizen: Citizen) -> dict | None:
    """What the registry says now, for the facts sent; None when it cannot say."""
    try:
        return applicant_of(citizen)
    except RegistryUnavailable:
        return None


def _told_of(citizen: Citizen, application: dict, state: str) -> Recipient | None:
    """Who is texted the application's new state once the registry has the
    change (at once, or when the worker delivers it later)."""
    person = person_or_none(citizen)
    recipient = Recipient.of_person(person) if person else None
    if recipient is None and citizen.phone:
        recipient = Recipient(citizen.phone, current_language())
    if recipient is None:
        return None
    text = notify.status_text(application["reference"], state, recipient.language)
    return Recipient(recipient.phone, recipient.language, on_delivery=text)


def withdraw(citizen: Citizen, application: dict) -> Submission:
    """Withdraw an open application, through the outbox. Raises the registry's
    refusal when it is no longer possible (a decision was made meanwhile)."""
    submission = outbox.submit(
        RECORD_TYPE,
        {"status": states.WITHDRAWN},
        actor=_actor(citizen),
        owner=owner_of(citizen),
        operation="update",
        record_id=application["id"],
        key=_key(WITHDRAW, "", application["id"]),
        reference=application["reference"],
        receipt=_told_of(citizen, application, states.WITHDRAWN),
    )
    return submission


def answer(citizen: Citizen, application: dict, text: str) -> Submission:
    """Give the office the information it asked for: the application goes back
    to "received", with the answer in its history."""
    submission = outbox.submit(
        RECORD_TYPE,
        {"status": states.RECEIVED},
        actor=_actor(citizen),
        owner=owner_of(citizen),
        operation="update",
        record_id=application["id"],
        key=_key(ANSWER, str(application.get("version", "")), application["id"]),
        status_change={"reason": INFORMATION_GIVEN, "note": None},
        event={"kind": INFORMATION_GIVEN, "text": text},
        reference=application["reference"],
        receipt=_told_of(citizen, application, states.RECEIVED),
    )
    return submission


def sent_submission(key: str) -> Submission | None:
    return outbox.submission(key=key)
