"""My record's operations: what the registry holds about the signed-in citizen
(their details, household, Equity Card, consents, applications, complaints),
their SPID card, who looked at their data, and choosing who they are when
several people share one phone.

Every read is the citizen's own (actor `citizen:<spid>`, purpose "my record")
and is about the person the session is linked to: no page takes a person id.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from flask import session
from flask_babel import to_user_timezone

from portal.accounts.services import candidates as sign_in_candidates
from portal.applications import draft as applications_draft
from portal.applications import states as application_states
from portal.changes import draft as changes_draft
from portal.eligibility.services import SESSION_KEY as SCREENER
from portal.eligibility.services import programmes_by_id
from portal.grievances import states as grievance_states
from portal.i18n import current_language
from portal.my_record import access_words, record_words
from portal.my_record import consents as my_consents
from portal.my_record.display import format_moment
from portal.registration import answers as registration_answers
from portal.registration.citizen import actor_for, link_session
from portal.registry_access import registry
from portal.web.identity import Citizen

PURPOSE = "my record"
MOST_MEMBERS = 40  # the registry's limit for one household
SHORT_LIST = 10  # applications, complaints, consents shown on /me
LOG_PAGE_SIZE = 20
MOST_LOG_PAGES = 100_000  # beyond it a page number is a mistake (the registry allows 1,000,000)
SOMEONE_ELSE = "someone-else"
PLACE_LEVELS = ("village", "commune", "district", "province")


@dataclass(frozen=True)
class Member:
    name_km: str
    name_latin: str
    relationship: str
    spid: str
    is_me: bool


@dataclass(frozen=True)
class EquityCard:
    """The household's IDPoor status: "verified", "ended", "self_declared" or "none"."""

    state: str
    level: int | None = None
    expiry: str | None = None


@dataclass(frozen=True)
class Listed:
    """A short list of records, and how many there are in all."""

    items: list[dict] = field(default_factory=list)
    count: int = 0


@dataclass(frozen=True)
class MyRecord:
    person: dict
    name_km: str
    name_latin: str
    sex: str
    birth_year_only: bool
    national_id: str | None
    disability: str | None
    address: dict[str, str]  # place name by level (village, commune, district, province)
    address_line: str | None
    members: list[Member]
    equity_card: EquityCard
    consents: Listed
    applications: Listed
    grievances: Listed


@dataclass(frozen=True)
class Card:
    name_km: str
    name_latin: str
    spid: str


@dataclass(frozen=True)
class AccessPage:
    entries: list[dict]
    count: int
    page: int
    pages: int


def full_name(name: dict | None) -> str:
    """Surname first, as Cambodians write names in Khmer and in Latin letters."""
    name = name or {}
    return " ".join(part for part in (name.get("surname"), name.get("given_name")) if part)


def _today() -> dt.date:
    return to_user_timezone(dt.datetime.now(dt.UTC)).date()


def _read_person(citizen: Citizen) -> dict:
    return registry().persons.read(citizen.person_id, actor=actor_for(citizen, PURPOSE))


def load_card(citizen: Citizen) -> Card:
    person = _read_person(citizen)
    return Card(
        name_km=full_name(person.get("name_km")),
        name_latin=full_name(person.get("name")),
        spid=person["spid"],
    )


def load_record(citizen: Citizen) -> MyRecord:
    """Everything /me shows, in six registry calls: the person, their household
    and its members (one search), and three short lists."""
    actor = actor_for(citizen, PURPOSE)
    client = registry()
    person = _read_person(citizen)
    spid = person["spid"]
    household, members = None, []
    if person.get("household_identifier"):
        household = client.households.read(person["household_identifier"], actor=actor)
        found = client.search.by_id(
            "HOUSEHOLD_ID", household["id"], actor=actor, page_size=MOST_MEMBERS
        )
        members = _members(household, found.records, spid)
    applications = client.applications.list(actor=actor, applicant_spid=spid, page_size=SHORT_LIST)
    grievances = client.grievances.list(actor=actor, complainant_spid=spid, page_size=SHORT_LIST)
    consents = client.consents.list(actor=actor, individual_spid=spid, page_size=SHORT_LIST)
    address = person.get("address") or (household or {}).get("address") or {}
    return MyRecord(
        person=person,
        name_km=full_name(person.get("name_km")),
        name_latin=full_name(person.get("name")),
        sex=record_words.words(record_words.SEX, person.get("sex")),
        birth_year_only=bool(person.get("birth_date_estimated")),
        national_id=_identifier(person, "NIN"),
        disability=_disability(person.get("disability_card")),
        address=_places(address),
        address_line=address.get("address_line"),
        members=members,
        equity_card=_equity_card((household or {}).get("idpoor")),
        consents=Listed(my_consents.listed(citizen, consents.results), consents.count),
        applications=Listed([_application(a) for a in applications.results], applications.count),
        grievances=Listed([_grievance(g) for g in grievances.results], grievances.count),
    )


def _identifier(person: dict, kind: str) -> str | None:
    for identifier in person.get("identifier") or []:
        if identifier.get("identifier_type") == kind:
            return identifier.get("identifier_value")
    return None


def _disability(card: dict | None) -> str | None:
    if not card:
        return None
    level = record_words.DISABILITY_LEVEL.get(card.get("level") or "")
    return f"{card['card_number']} ({level})" if level else card["card_number"]


def _places(address: dict) -> dict[str, str]:
    """Village, commune, district and province names in the page's language."""
    language = "name_km" if current_language() == "km" else "name_en"
    return {
        level: address[level].get(language) or address[level].get("name_en", "")
        for level in PLACE_LEVELS
        if address.get(level)
    }


def _members(household: dict, records: list[dict], my_spid: str) -> list[Member]:
    """The household's members in its own order (the head first)."""
    by_spid = {record.get("spid"): record for record in records}
    members = []
    for entry in household.get("members") or []:
        record = by_spid.get(entry["spid"], {})
        members.append(
            Member(
                name_km=full_name(record.get("name_km")),
                name_latin=full_name(record.get("name")),
                relationship=record_words.words(
                    record_words.RELATIONSHIP, entry.get("household_status")
                ),
                spid=entry["spid"],
                is_me=entry["spid"] == my_spid,
            )
        )
    return members


def _equity_card(idpoor: dict | None) -> EquityCard:
    if not idpoor:
        return EquityCard("none")
    level, expiry = idpoor.get("level"), idpoor.get("expiry")
    if idpoor.get("self_declared"):
        return EquityCard("self_declared", level, expiry)
    if expiry and dt.date.fromisoformat(expiry) < _today():
        return EquityCard("ended", level, expiry)
    return EquityCard("verified", level, expiry)


def _application(application: dict) -> dict[str, Any]:
    names = programmes_by_id()
    code = application.get("programme_id", "")
    programme = names.get(code)
    words, tone = application_states.words(application.get("status"))
    return {
        "programme": programme["name"] if programme else code,
        "reference": application.get("reference"),
        "status": words,
        "tone": tone,
        "date": application.get("submitted_at") or application.get("created_at"),
    }


def _grievance(grievance: dict) -> dict[str, Any]:
    words, tone = grievance_states.words(grievance.get("status"))
    return {"reference": grievance.get("reference", ""), "status": words, "tone": tone}


def load_access_log(citizen: Citizen, page: int) -> AccessPage | None:
    """One page of who looked at the citizen's data, newest first, in plain
    words; None when there is no such page."""
    if not 1 <= page <= MOST_LOG_PAGES:
        return None
    log = registry().persons.access_log(
        citizen.person_id,
        actor=actor_for(citizen, PURPOSE),
        page=page,
        page_size=LOG_PAGE_SIZE,
    )
    pages = max(1, math.ceil(log.count / LOG_PAGE_SIZE))
    if page > pages:
        return None
    entries = [
        {
            "when": format_moment(entry.at),
            "who": access_words.who(entry.actor, citizen.spid),
            "did": access_words.did(entry.action),
            "why": access_words.why(entry.purpose),
        }
        for entry in log.entries
    ]
    return AccessPage(entries=entries, count=log.count, page=page, pages=pages)


# One phone, several people: who is the citizen acting as?


def candidates() -> list[dict]:
    """The people the session's phone (or national ID) matched, when several did."""
    return sign_in_candidates()


PERSONAL_DRAFTS = (
    SCREENER,
    changes_draft.SESSION_KEY,
    changes_draft.SENT_KEY,
    applications_draft.SESSION_KEY,
    applications_draft.SENT_KEY,
    registration_answers.KEY,
)


def choose(person_id: str) -> Citizen | None:
    """Link the session to one of its candidates; None (nothing linked) for an id
    that is not among them."""
    for candidate in candidates():
        if candidate["person_id"] == person_id:
            return _act_as(candidate["person_id"], candidate["spid"])
    return None


def act_as_someone_else() -> Citizen:
    """None of the candidates: the session is linked to no one."""
    return _act_as(None, None)


def _act_as(person_id: str | None, spid: str | None) -> Citizen:
    # What was worked out or half-written for the person acted as before is
    # not the next person's: the screener's answers, a change request or a
    # registration in progress, and what was last sent.
    for key in PERSONAL_DRAFTS:
        session.pop(key, None)
    return link_session(person_id, spid)
