"""What the commune officer does: find a person of their communes, open the
record with a purpose, and start acting for them with their recorded consent.

Every search is limited to the officer's communes inside the registry (a
person elsewhere is never found, so never logged as looked at); opening a
record reads it with the purpose the officer chose, which the person sees on
their "who looked at my data" page.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal import outbox
from portal.accounts.services import cambodian_mobile
from portal.backoffice.describe import commune_name, village_words
from portal.khmer import to_ascii_digits
from portal.my_record.record_words import RELATIONSHIP, SEX
from portal.notifications import messages
from portal.officer import assisted
from portal.officer.assisted import Consent
from portal.registration.citizen import ASSISTED_CHANNEL, actor_for, owner_of
from portal.registry.client import Actor, RegistryNotFound, predicate
from portal.registry_access import registry
from portal.web.identity import Citizen, StaffMember

SEARCH_PURPOSE = "officer search"
CONSENT_PURPOSE = "assisted service"
PAGE_SIZE = 20
_SEPARATORS = re.compile(r"[\s\-.]")
_SPID = re.compile(r"^[0-9]{11}$")
_NIN = re.compile(r"^[0-9]{6,12}$")
NOT_SEARCHABLE = _l("Type at least 3 letters of a name, or a whole number")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Found:
    """A page of people found, best first, and how many there are in all."""

    people: list[dict]
    total: int


def search_actor(member: StaffMember, purpose: str = SEARCH_PURPOSE) -> Actor:
    return Actor(
        actor=f"officer:{member.username}",
        purpose=purpose,
        on_behalf_of=None,
        channel=ASSISTED_CHANNEL,
    )


def _in_scope(member: StaffMember) -> dict:
    return predicate("commune_code", "in", list(member.commune_codes))


def find(member: StaffMember, text: str) -> Found:
    """People of the officer's communes matching what was typed: an SPID, a
    phone number, a national ID, a household number, or a name in Khmer or
    Latin letters (best matches first)."""
    if not member.commune_codes:
        return Found([], 0)
    search = registry().search
    actor = search_actor(member)
    typed = text.strip()
    if _UUID.match(typed.lower()):
        return _within(member, predicate("household_id", "eq", typed.lower()), actor)
    compact = _SEPARATORS.sub("", to_ascii_digits(typed))
    if _SPID.match(compact):
        return _within(member, predicate("spid", "eq", compact), actor)
    if compact.startswith(("0", "+855", "855")) and cambodian_mobile(compact):
        by_phone = _within(member, predicate("phone", "eq", compact), actor)
        # A national ID may look like a mobile number too (9 digits from 0).
        if by_phone.total or not _NIN.match(compact):
            return by_phone
    if _NIN.match(compact):
        return _within(member, predicate("nin", "eq", compact), actor)
    found = search.by_predicate(
        [predicate("name", "eq", typed), _in_scope(member)],
        actor=actor,
        page_size=PAGE_SIZE,
    )
    return Found(found.records, found.total_count)


def _within(member: StaffMember, expression: dict, actor: Actor) -> Found:
    """Those matching ``expression`` in the officer's communes (a person
    elsewhere is not even looked at by the registry)."""
    found = registry().search.by_predicate(
        [expression, _in_scope(member)], actor=actor, page_size=PAGE_SIZE
    )
    return Found(found.records, found.total_count)


def commune_of(person: dict) -> str | None:
    village = (person.get("address") or {}).get("village_code")
    return village[:6] if village else None


def describe(person: dict) -> dict:
    """What tells people apart in a list: name, birth year, sex, village."""
    name_km = person.get("name_km") or {}
    name = person.get("name") or {}
    return {
        "spid": person.get("spid"),
        "name_km": " ".join(p for p in (name_km.get("surname"), name_km.get("given_name")) if p),
        "name": " ".join(p for p in (name.get("surname"), name.get("given_name")) if p),
        "birth_year": (person.get("birth_date") or "")[:4],
        "sex": str(SEX.get(person.get("sex") or "unknown", "")),
        "village": village_words((person.get("address") or {}).get("village_code")),
    }


def display_name(person: dict) -> str:
    words = describe(person)
    return words["name_km"] or words["name"] or words["spid"] or ""


def choose(member: StaffMember, spid: str, purpose: str) -> dict | None:
    """The person with this SPID if they live in the officer's communes (else
    None, and nothing about them is read), found with the officer's purpose."""
    if not member.commune_codes:
        return None
    found = registry().search.by_predicate(
        [predicate("spid", "eq", spid), _in_scope(member)],
        actor=search_actor(member, purpose),
        page_size=1,
    )
    return found.records[0] if found.records else None


def read_opened(member: StaffMember, opened: dict) -> dict | None:
    """The opened record, read again for this page view with the purpose chosen,
    as the commune office of the person's commune; None when it is gone or
    has moved out of the officer's communes."""
    commune = opened["commune_code"]
    if commune not in member.commune_codes:
        return None
    actor = Actor(
        actor=assisted.officer_actor(member, commune),
        purpose=opened["purpose"],
        on_behalf_of=opened["spid"],
        channel=ASSISTED_CHANNEL,
    )
    try:
        person = registry().persons.read(opened["person_id"], actor=actor)
    except RegistryNotFound:
        return None
    return person if commune_of(person) in member.commune_codes else None


def household_of(member: StaffMember, person: dict, purpose: str) -> dict | None:
    household_id = person.get("household_identifier")
    if not household_id:
        return None
    actor = Actor(
        actor=assisted.officer_actor(member, commune_of(person) or ""),
        purpose=purpose,
        on_behalf_of=person.get("spid"),
        channel=ASSISTED_CHANNEL,
    )
    try:
        return registry().households.read(household_id, actor=actor)
    except RegistryNotFound:
        return None


def household_members(household: dict | None, person: dict) -> list[dict]:
    """The household's members by SPID and relationship, the person first."""
    if household is None:
        return []
    members = sorted(
        household.get("members", []), key=lambda m: m.get("spid") != person.get("spid")
    )
    return [
        {
            "spid": member.get("spid"),
            "relationship": str(RELATIONSHIP.get(member.get("household_status") or "unknown", "")),
            "is_person": member.get("spid") == person.get("spid"),
        }
        for member in members
    ]


def act_for(member: StaffMember, person: dict, consent: Consent, today: dt.date) -> Citizen:
    """Start acting for ``person``: the consent goes to the registry (through the
    outbox), and the person gets a text message so that they can object."""
    commune = commune_of(person) or member.commune_codes[0]
    citizen = assisted.start(
        member, name=display_name(person), commune_code=commune, consent=consent, person=person
    )
    record = assisted.assisted_consent(citizen, person["spid"], dt.datetime.now(dt.UTC))
    outbox.submit(
        "consents",
        record,
        actor=actor_for(citizen, CONSENT_PURPOSE),
        owner=owner_of(citizen),
        key=f"assisted-consent/{record['id']}",
    )
    _tell(citizen, commune, person.get("preferred_language") or "km", record["id"])
    return citizen


def act_for_walk_in(member: StaffMember, name: str, phone: str | None, consent: Consent) -> Citizen:
    """Start acting for someone the registry does not have yet (they register
    next); their consent is written with their new record."""
    commune = member.commune_codes[0]
    citizen = assisted.start(member, name=name, commune_code=commune, consent=consent, phone=phone)
    _tell(citizen, commune, "km", str(uuid.uuid4()))
    return citizen


def _tell(citizen: Citizen, commune: str, language: str, event_id: str) -> None:
    if not citizen.phone:
        return
    with force_locale(language):
        place = commune_name(commune)
    outbox.send_text(
        f"assisted/{event_id}",
        citizen.phone,
        messages.acted_for_you(place, language),
        actor=actor_for(citizen, CONSENT_PURPOSE),
        owner=owner_of(citizen),
    )
