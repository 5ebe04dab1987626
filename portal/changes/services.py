"""Change requests: the only module of the feature that calls the registry
client or the outbox.

Every citizen submission (a new request, a withdrawal) goes through the
outbox: stored first, delivered at once when the registry answers, by the
worker later when it does not. A request still waiting has a reference and a
date but is not yet in the registry; its kind is carried in its outbox key.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from portal import outbox
from portal.changes.draft import Draft
from portal.changes.kinds import ANYTHING_ELSE, MEMBER
from portal.i18n import current_language
from portal.local_time import local_day, today
from portal.outbox import Recipient, Submission, keys
from portal.registration.citizen import actor_for, owner_of
from portal.registry.client import Page, RegistryError, RegistryNotFound
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.changes")

PURPOSE = "change request"
RECORD_TYPE = "change-requests"
PAGE_SIZE = 10
CHECKED_WITHIN_WORKING_DAYS = 5
NEW, WITHDRAW = keys.NEW, "withdraw"


class NotInHousehold(Exception):
    """The citizen is in no household the registry knows."""


@dataclass(frozen=True)
class Member:
    spid: str
    name: str


def checked_by(day: dt.date, working_days: int = CHECKED_WITHIN_WORKING_DAYS) -> dt.date:
    """The day the commune office has checked a request by: working days are
    Monday to Friday (public holidays not counted, so it is "about")."""
    while working_days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            working_days -= 1
    return day


def reference_of(change_id: str, day: dt.date | None) -> str:
    """The readable reference of a request: its year and six digits from its id
    (the registry keeps no reference of its own, so it is worked out again
    from the id wherever it is shown)."""
    year = (day or today()).year
    return f"CR-{year}-{uuid.UUID(change_id).int % 1_000_000:06d}"


def reference_for(change: dict) -> str:
    """The reference the citizen was given when they sent it (kept with the
    outbox item), else the one worked out from the id and its day."""
    key = _key(NEW, change.get("request_type", ""), change["id"])
    sent = outbox.submission(key=key)
    if sent is not None and sent.reference:
        return sent.reference
    return reference_of(change["id"], local_day(change.get("created_at")))


def _actor(citizen: Citizen):
    return actor_for(citizen, PURPOSE)


def _key(kind: str, detail: str, change_id: str) -> str:
    return keys.submission_key(RECORD_TYPE, kind, detail, change_id)


# Reading


def requests_page(citizen: Citizen, page: int) -> Page:
    """The citizen's change requests in the registry, newest first."""
    return registry().change_requests.list(
        actor=_actor(citizen),
        person_spid=citizen.spid,
        ordering="-created_at",
        page=page,
        page_size=PAGE_SIZE,
    )


def waiting_requests(citizen: Citizen) -> list[keys.Waiting]:
    """The citizen's new requests still waiting in the outbox, newest first
    (`detail`: the request type)."""
    return keys.waiting_new(owner_of(citizen), RECORD_TYPE)


def withdrawal_waiting(citizen: Citizen, change_id: str) -> bool:
    return bool(keys.waiting_actions(owner_of(citizen), RECORD_TYPE, change_id, (WITHDRAW,)))


def request_of(citizen: Citizen, change_id: str) -> dict | None:
    """The citizen's own request with this id, or None (also when it is someone
    else's: read first, compared, never shown)."""
    try:
        change = registry().change_requests.read(change_id, actor=_actor(citizen))
    except RegistryNotFound:
        return None
    if not citizen.spid or change.get("person_spid") != citizen.spid:
        logger.warning("a citizen asked for a change request that is not theirs")
        return None
    return change


def waiting_request(citizen: Citizen, change_id: str) -> keys.Waiting | None:
    return next((w for w in waiting_requests(citizen) if w.id == change_id), None)


def person_of(citizen: Citizen) -> dict:
    return registry().persons.read(citizen.person_id, actor=_actor(citizen))


def person_or_none(citizen: Citizen) -> dict | None:
    """The citizen's record, or None when the registry cannot say now."""
    try:
        return person_of(citizen)
    except RegistryError as error:
        logger.info("citizen's record not read: %s", type(error).__name__)
        return None


def name_of(person: dict) -> str:
    """A person's name as the page shows it: Khmer, with the Latin spelling on English pages."""
    khmer = person.get("name_km") or {}
    latin = person.get("name") or {}
    km = " ".join(filter(None, (khmer.get("surname"), khmer.get("given_name"))))
    en = " ".join(filter(None, (latin.get("surname"), latin.get("given_name"))))
    if current_language() == "en" and en:
        return f"{en} ({km})" if km else en
    return km or en


def household_members(citizen: Citizen) -> list[Member]:
    """The members of the citizen's household the citizen may report on: not
    the head, not the citizen. Raises NotInHousehold."""
    actor = _actor(citizen)
    person = person_of(citizen)
    household_id = person.get("household_identifier")
    if not household_id:
        raise NotInHousehold()
    household = registry().households.read(household_id, actor=actor)
    members = []
    for member in household.get("members") or []:
        spid = member.get("spid")
        if member.get("household_status") == "head" or spid in (None, citizen.spid):
            continue
        try:
            found = registry().persons.read_by_spid(spid, actor=actor)
        except RegistryNotFound:
            continue
        if found.get("status", "active") == "active":
            members.append(Member(spid, name_of(found)))
    return members


def person_name(citizen: Citizen, spid: str | None) -> str | None:
    """The name of a person a request is about, or None when it cannot be read."""
    if not spid:
        return None
    try:
        return name_of(registry().persons.read_by_spid(spid, actor=_actor(citizen)))
    except RegistryError:
        return None


# Writing


def content_of(citizen: Citizen, draft: Draft) -> dict:
    """The registry's change request for the draft."""
    answers = draft.answers
    request_type = draft.request_type or ""
    content: dict = {"id": draft.id, "person_spid": citizen.spid, "request_type": request_type}
    proposed: dict | None = None
    if request_type == "address":
        proposed = {"address": {"village_code": draft.places["village"]}}
    elif request_type == "phone_number":
        proposed = {"phone_number": [answers["phone"]["phone_number"]]}
    elif request_type == "name":
        name = answers["name"]
        proposed = {"name_km": {"surname": name["surname"], "given_name": name["given_name"]}}
        if name.get("latin_surname") or name.get("latin_given_name"):
            proposed["name"] = {
                key: name[f"latin_{key}"]
                for key in ("surname", "given_name")
                if name.get(f"latin_{key}")
            }
    elif request_type == "household_birth":
        proposed = {
            "name_km": dict(answers["baby-name"]),
            "sex": answers["baby-sex"]["sex"],
            "birth_date": answers["baby-birth-date"]["birth_date"],
        }
        content["household_status"] = answers["baby-relationship"]["household_status"]
    elif request_type in ("household_member_left", "death"):
        content["member_spid"] = answers[MEMBER]["member_spid"]
    elif request_type == "disability":
        card = answers["card"]["card_number"]
        proposed = {"is_disabled": True, "disability_card": {"card_number": card}}
    if proposed is not None:
        content["proposed_changes"] = proposed
    justification = (answers.get(ANYTHING_ELSE) or {}).get("justification")
    if justification:
        content["justification"] = justification
    return content


def _receipt(citizen: Citizen) -> Recipient | None:
    """Who gets the "received" text: the person's own number and language; the
    number they signed in with when the registry cannot say now."""
    person = person_or_none(citizen)
    if person is not None:
        return Recipient.of_person(person)
    if citizen.phone:
        return Recipient(citizen.phone, current_language())
    return None


def still_a_member(citizen: Citizen, spid: str) -> bool:
    return any(member.spid == spid for member in household_members(citizen))


def send(citizen: Citizen, draft: Draft) -> Submission:
    """Send the draft through the outbox. Raises the registry's refusal
    (RegistryValidationError, ...) when it refuses at once."""
    content = content_of(citizen, draft)
    return outbox.submit(
        RECORD_TYPE,
        content,
        actor=_actor(citizen),
        owner=owner_of(citizen),
        reference=reference_of(content["id"], today()),
        receipt=_receipt(citizen),
        key=_key(NEW, content["request_type"], content["id"]),
    )


def withdraw(citizen: Citizen, change: dict) -> Submission:
    """Withdraw a request still `submitted`, through the outbox. Raises the
    registry's refusal when it is no longer possible."""
    return outbox.submit(
        RECORD_TYPE,
        {"status": "withdrawn"},
        actor=_actor(citizen),
        owner=owner_of(citizen),
        operation="update",
        record_id=change["id"],
        key=_key(WITHDRAW, "", change["id"]),
    )


def sent_submission(key: str) -> Submission | None:
    return outbox.submission(key=key)
