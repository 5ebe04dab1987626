"""Reporting a grievance: the only module of the report pages that calls the
registry client or the outbox.

A report goes through the outbox: stored first, delivered at once when the
registry answers, by the worker later when it does not. Its reference is
made here from the record's id, so the person has it either way.

Who acts: a signed-in person giving their name acts as themselves (and owns
the outbox item); anyone else, and a signed-in person who chooses not to give
their name, acts as the public web: an anonymous report carries nothing that
names its reporter, not even in the registry's actor headers.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

from portal import gazetteer, outbox
from portal.applications import services as applications
from portal.applications import states as application_states
from portal.grievances import deadlines, notify, pin
from portal.grievances.references import reference_of
from portal.grievances.report_draft import MINE, NO_PROGRAMME, RECORD_TYPE, ReportDraft
from portal.i18n import current_language
from portal.outbox import Recipient, Submission
from portal.registration.citizen import actor_for, channel_of, owner_of
from portal.registry.client import Actor, RegistryError
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.grievances")

PURPOSE = "grievance"
PUBLIC = Actor(actor="public:web", purpose=PURPOSE, on_behalf_of=None)


def address_codes(citizen: Citizen | None) -> dict[str, str]:
    """The province, district and commune of the signed-in person's address
    in the registry (their own, else their household's), to offer; empty when
    there is none or the registry cannot say now."""
    if citizen is None or not citizen.person_id:
        return {}
    actor = actor_for(citizen, PURPOSE)
    try:
        person = registry().persons.read(citizen.person_id, actor=actor)
        address = person.get("address") or {}
        if not address.get("village_code") and person.get("household_identifier"):
            household = registry().households.read(person["household_identifier"], actor=actor)
            address = household.get("address") or {}
    except RegistryError as error:
        logger.info("address not read for a report: %s", type(error).__name__)
        return {}
    village = address.get("village_code") or ""
    if gazetteer.village(village) is None:
        return {}
    return {"province": village[:2], "district": village[:4], "commune": village[:6]}


def application_to_contest(citizen: Citizen | None, reference: str) -> dict | None:
    """The signed-in person's own refused application with this reference, or None."""
    if citizen is None or not citizen.spid or len(reference) > 40:
        return None
    try:
        found = applications.application_by_reference(citizen, reference.strip().upper())
    except RegistryError as error:
        logger.info("application not read for a report: %s", type(error).__name__)
        return None
    if found is None or found.get("status") != application_states.REFUSED:
        return None
    return found


@dataclass(frozen=True)
class Sent:
    submission: Submission
    reference: str
    resolve_by: str  # ISO date
    receipt: bool  # a text message goes to the phone given


def contact_phone(draft: ReportDraft, citizen: Citizen | None) -> str | None:
    """The phone (E.164) the reporter gave, or None (anonymous)."""
    if draft.contact == MINE:
        return citizen.phone if citizen else None
    return draft.phone if not draft.anonymous else None


def content_of(
    draft: ReportDraft, citizen: Citizen | None, day: dt.date, the_pin: str | None
) -> dict:
    """The registry record of the report in ``draft``, reported on ``day``."""
    reference = reference_of(draft.id or "", day)
    acknowledge_by, resolve_by = deadlines.due_dates(draft.category or "", day)
    complainant: dict = {"anonymous": draft.anonymous, "language": current_language()}
    if draft.anonymous:
        complainant["pin_hash"] = pin.pin_hash(reference, the_pin or "")
    else:
        if citizen is not None and citizen.spid:
            complainant["spid"] = citizen.spid
        phone = contact_phone(draft, citizen)
        if phone:
            complainant["contact_phone"] = phone
    return {
        "id": draft.id,
        "reference": reference,
        "category": draft.category,
        "programme_id": None if draft.programme == NO_PROGRAMME else draft.programme,
        "description": draft.description,
        "channel": channel_of(citizen),
        "commune_code": draft.places.get("commune"),
        "complainant": complainant,
        "acknowledge_by": acknowledge_by.isoformat(),
        "resolve_by": resolve_by.isoformat(),
        "application_id": draft.application_id,
    }


def _reporter(citizen: Citizen | None, named: bool) -> Actor:
    """Who sends the report: the person, the public web form (anonymous), or the
    commune officer who helped, who never names an anonymous reporter."""
    if citizen is not None and citizen.acting and not named:
        return replace(actor_for(citizen, PURPOSE), on_behalf_of="anonymous")
    return actor_for(citizen, PURPOSE) if named and citizen else PUBLIC


def submit(draft: ReportDraft, citizen: Citizen | None, day: dt.date) -> Sent:
    """Send the report through the outbox. Raises the registry's refusal
    (RegistryValidationError, ...) when it refuses at once: nothing is kept."""
    the_pin = draft.pin(pin.new_pin) if draft.anonymous else None
    content = content_of(draft, citizen, day, the_pin)
    reference = content["reference"]
    named = citizen is not None and not draft.anonymous
    phone = content["complainant"].get("contact_phone")
    receipt = None
    if phone:
        language = content["complainant"]["language"]
        text = notify.received_text(reference, language)
        receipt = Recipient(phone, language, on_delivery=text)
    submission = outbox.submit(
        RECORD_TYPE,
        content,
        actor=_reporter(citizen, named),
        owner=owner_of(citizen) if named and citizen else None,
        reference=reference,
        receipt=receipt,
        key=draft.key,
    )
    return Sent(submission, reference, content["resolve_by"], receipt is not None)


def submission_of(key: str) -> Submission | None:
    return outbox.submission(key=key)
