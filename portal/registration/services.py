"""Register once: the registry writes for a new household, the duplicate check
before them, claiming a record the registry already has, and where a citizen
with no linked record stands.

Every write goes through the outbox: a registry outage delays a registration,
and loses nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from dataclasses import dataclass, field

from portal import outbox
from portal.i18n import current_language
from portal.officer.assisted import assisted_consent
from portal.outbox import Recipient, Submission
from portal.outbox.delivery import SPID_OF
from portal.registration.answers import Registration
from portal.registration.citizen import actor_for, link_session, owner_of
from portal.registry.client import RegistryNotFound, predicate
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.registration")
CONSENT_COLLECTOR = "portal:self-service"
CLAIM_NAMESPACE = uuid.UUID("0b7f4a52-3c1e-4d0a-9f57-8e2c6a1d4b93")
CLAIM_JUSTIFICATION = (
    "Claimed on the portal with the national ID number and date of birth; "
    "the phone number was verified by a text-message code."
)


def new_reference(prefix: str, today: dt.date) -> str:
    """A reference to read aloud and type back: RG-2026-004217."""
    return f"{prefix}-{today.year}-{secrets.randbelow(10**6):06d}"


def skipped_steps(citizen: Citizen) -> frozenset[str]:
    """Questions the portal already has the answer to: the national ID comes
    with a digital ID sign-in."""
    return frozenset({"national-id"}) if citizen.national_id else frozenset()


def national_id(citizen: Citizen, registration: Registration) -> str | None:
    return citizen.national_id or registration.answers.get("national-id")


def _name_key(person: dict) -> str:
    return f"{person['name_km']['surname']} {person['name_km']['given_name']}"


# --- the records ---------------------------------------------------------------------


def _person(answer: dict, person_id: str, village: str) -> dict:
    content = {
        "id": person_id,
        "name_km": answer["name_km"],
        "sex": answer["sex"],
        "birth_date": answer["birth_date"],
        "address": {"village_code": village},
    }
    if answer.get("birth_date_estimated"):
        content["birth_date_estimated"] = True
    return content


def _head(citizen: Citizen, registration: Registration) -> dict:
    answers = registration.answers
    village = registration.places["village"]
    head = _person(
        {**answers["birth-date"], "name_km": answers["name"], "sex": answers["sex"]},
        registration.ids["person"],
        village,
    )
    if answers.get("latin-name"):
        head["name"] = answers["latin-name"]
    nin = national_id(citizen, registration)
    if nin:
        head["identifier"] = [{"identifier_type": "NIN", "identifier_value": nin}]
    if citizen.phone:
        head["phone_number"] = [citizen.phone]
    card = answers.get("disability")
    if card:
        head["is_disabled"] = True
        head["disability_card"] = {"card_number": card}
    head["preferred_language"] = current_language()
    return head


def _members(registration: Registration) -> list[dict]:
    village = registration.places["village"]
    return [_person(member, member["id"], village) for member in registration.members]


def registry_writes(citizen: Citizen, registration: Registration, now: dt.datetime) -> list:
    """The people, then their household and the consent, in the order the
    registry needs them (the household names its members by SPID)."""
    head = _head(citizen, registration)
    members = _members(registration)
    ids = registration.ids
    card = registration.answers.get("equity-card")
    household = {
        "id": ids["household"],
        "members": [
            {"spid": {SPID_OF: head["id"]}, "household_status": "head"},
            *(
                {"spid": {SPID_OF: person["id"]}, "household_status": member["household_status"]}
                for person, member in zip(members, registration.members, strict=True)
            ),
        ],
        "address": {"village_code": registration.places["village"]},
        "idpoor": (
            {"level": card["level"], "card_number": card["card_number"], "self_declared": True}
            if card
            else None
        ),
    }
    consent = {
        "id": ids["consent"],
        "individual_spid": {SPID_OF: head["id"]},
        "purpose": "registration",
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": citizen.acting or CONSENT_COLLECTOR,
        "collected_at": now.isoformat(),
    }
    consents = [consent]
    if citizen.acting:
        # A walk-in helped at the commune office: their agreement to be helped,
        # as the officer recorded it, is kept with the new record.
        consents.append(assisted_consent(citizen, {SPID_OF: head["id"]}, now))
    return [
        *({"record_type": "persons", "content": person} for person in (head, *members)),
        {"record_type": "households", "content": household},
        *({"record_type": "consents", "content": item} for item in consents),
    ]


def begin(registration: Registration, today: dt.date) -> None:
    """Choose the ids and the reference once, when the person starts."""
    registration.ids = {
        "person": registration.ids["person"],
        "household": str(uuid.uuid4()),
        "consent": str(uuid.uuid4()),
        "reference": new_reference("RG", today),
    }
    registration.save()


# --- before sending: is anyone already registered? --------------------------------------


def possible_duplicates(citizen: Citizen, registration: Registration) -> list[dict]:
    """The people in this registration (as the person typed them) whom the
    registry may already have: by national ID, or by the same Khmer name, date
    of birth and village. Nothing about the records found is kept or shown."""
    actor = actor_for(citizen, "duplicate check")
    search = registry().search
    village = registration.places["village"]
    head = {**registration.answers["birth-date"], "name_km": registration.answers["name"]}
    found = []
    nin = national_id(citizen, registration)
    if nin and search.by_id("NIN", nin, actor=actor, page_size=1).total_count:
        found.append(head)
    for person in (head, *registration.members):
        if person in found:
            continue
        same = search.by_predicate(
            [
                predicate("name_km", "eq", _name_key(person)),
                predicate("birth_date", "eq", person["birth_date"]),
                predicate("village_code", "eq", village),
            ],
            actor=actor,
            page_size=1,
        )
        if same.total_count:
            found.append(person)
    return found


def register(citizen: Citizen, registration: Registration) -> Submission:
    """Send the registration (through the outbox). Delivered now: the session
    is linked to the new record. Raises the registry's refusal when it refuses
    at once."""
    now = dt.datetime.now(dt.UTC)
    receipt = (
        Recipient(citizen.phone, current_language(), announce_spid=True) if citizen.phone else None
    )
    submission = outbox.submit(
        "persons",
        {"writes": registry_writes(citizen, registration, now)},
        actor=actor_for(citizen, "registration"),
        operation="in-order",
        record_id=registration.ids["person"],
        reference=registration.ids["reference"],
        owner=owner_of(citizen),
        receipt=receipt,
        key=f"registration/{registration.ids['person']}",
    )
    if submission.delivered and submission.record:
        link_session(submission.record["id"], submission.record["spid"])
    logger.info(
        "registration sent (state=%s, members=%d)", submission.state, 1 + len(registration.members)
    )
    return submission


# --- claiming a record the registry already has -------------------------------------


@dataclass(frozen=True)
class ClaimOutcome:
    result: str  # "sent", "linked" or "no_match"
    submission: Submission | None = None


def claim(citizen: Citizen, nin: str, birth_date: dt.date) -> ClaimOutcome:
    """Claim the record with this national ID, when the date of birth matches.

    The same answer ("no match") whether the ID is unknown or the date is
    wrong: the page must not tell a stranger that someone is registered."""
    actor = actor_for(citizen, "record claim")
    found = registry().search.by_id("NIN", nin, actor=actor, page_size=2)
    person = found.records[0] if found.total_count == 1 else None
    if (
        person is None
        or person.get("status", "active") != "active"
        or person.get("birth_date") != birth_date.isoformat()
    ):
        return ClaimOutcome("no_match")
    if citizen.national_id == nin or (
        citizen.phone and citizen.phone in person.get("phone_number", [])
    ):
        # The digital ID proved this identity, or the verified phone is already theirs.
        link_session(person["id"], person["spid"])
        return ClaimOutcome("linked")
    if not citizen.phone:
        return ClaimOutcome("no_match")
    claim_id = str(uuid.uuid5(CLAIM_NAMESPACE, f"{person['id']}:{citizen.phone}"))
    submission = outbox.submit(
        "change-requests",
        {
            "id": claim_id,
            "person_spid": person["spid"],
            "request_type": "link_phone",
            "proposed_changes": {"phone_number": [citizen.phone]},
            "justification": CLAIM_JUSTIFICATION,
        },
        actor=actor,
        reference=new_reference("CL", dt.date.today()),
        owner=owner_of(citizen),
        receipt=Recipient(citizen.phone, current_language()),
        key=f"claim/{claim_id}",
    )
    return ClaimOutcome("sent", submission)


# --- where a citizen with no linked record stands ------------------------------------


@dataclass
class Standing:
    """What this citizen sent before their session was linked to a record."""

    registration: Submission | None = None  # the latest registration not yet in the registry
    claims: list[dict] = field(default_factory=list)  # their claims, as the registry has them
    waiting_claims: list[Submission] = field(default_factory=list)  # claims not yet delivered


def standing(citizen: Citizen) -> Standing:
    """Where the citizen stands; links the session when a registration or an
    approved claim has made a registry record theirs."""
    owner = owner_of(citizen)
    here = Standing()
    registrations = outbox.submissions_of(owner, "persons")
    if registrations:
        latest = registrations[0]
        if latest.delivered:
            if _link_to(citizen, latest.record_id):
                return here
        else:
            here.registration = latest
    actor = actor_for(citizen, "record claim")
    for sent in outbox.submissions_of(owner, "change-requests"):
        if not sent.delivered:
            here.waiting_claims.append(sent)
            continue
        try:
            request = registry().change_requests.read(sent.record_id, actor=actor)
        except RegistryNotFound:
            continue
        if request.get("status") == "approved" and _link_by_spid(citizen, request["person_spid"]):
            return here
        here.claims.append({**request, "reference": sent.reference})
    return here


def _link_to(citizen: Citizen, person_id: str) -> bool:
    try:
        person = registry().persons.read(person_id, actor=actor_for(citizen, "my record"))
    except RegistryNotFound:
        return False
    return _link_if_theirs(citizen, person)


def _link_by_spid(citizen: Citizen, spid: str) -> bool:
    try:
        person = registry().persons.read_by_spid(spid, actor=actor_for(citizen, "my record"))
    except RegistryNotFound:
        return False
    return _link_if_theirs(citizen, person)


def _link_if_theirs(citizen: Citizen, person: dict) -> bool:
    """Link only to a record that carries the citizen's verified phone (or ID)."""
    phones = person.get("phone_number") or []
    nins = [
        i["identifier_value"]
        for i in person.get("identifier", [])
        if i.get("identifier_type") == "NIN"
    ]
    if (citizen.phone and citizen.phone in phones) or (
        citizen.national_id and citizen.national_id in nins
    ):
        link_session(person["id"], person["spid"])
        return True
    return False
