"""What each type of change request needs, checked against the registry as it is.

A request is checked when it is created, when its content changes and again
when it is approved (the registry may have changed in between). Proposed
changes to a person go through the person's own rules (``PersonKind.prepare``),
so a bad village code or phone number is refused when the request is made, not
when an officer approves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.errors import ValidationFailed
from portal.registry.server.kinds import CONTENT, require_person
from portal.registry.server.models import Household, HouseholdMember, Person
from portal.registry.server.persons import PersonKind
from portal.registry.server.phones import to_e164

PROPOSED = f"{CONTENT}.proposed_changes"
PERSON_FIELD_TYPES = frozenset(
    {"name", "phone_number", "address", "birth_date", "identifier", "disability", "other"}
)
MEMBER_TYPES = frozenset({"household_member_left", "death"})
HOUSEHOLD_TYPES = MEMBER_TYPES | {"household_birth"}
BIRTH_FIELDS = ("name", "name_km", "sex", "birth_date", "birth_date_estimated")
DEFAULT_BIRTH_STATUS = "child"
MAX_PHONES = 5  # as PersonFields.phone_number allows
_PERSONS = PersonKind()

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class Membership:
    """A person's active household and their place in it (``head``, ``child``, ...)."""

    household: Household
    household_status: str


def household_of(session: Session, spid: str) -> Membership | None:
    """The active household of the person with this SPID, or None."""
    found = session.execute(
        select(Household, HouseholdMember.household_status)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .join(Person, Person.id == HouseholdMember.person_id)
        .where(Person.spid == spid, Household.status == "active")
    ).first()
    return Membership(found[0], found[1]) if found else None


def checked_document(session: Session, content: dict) -> dict:
    """The document to store for this request; ValidationFailed when it could not be applied."""
    person = require_person(session, content["person_spid"], f"{CONTENT}.person_spid")
    request_type = content["request_type"]
    proposed = content.get("proposed_changes") or {}
    problems = _misplaced_fields(content, request_type) + _proposal_presence(request_type, proposed)
    membership = None
    if request_type in HOUSEHOLD_TYPES:
        membership = household_of(session, person.spid)
        if membership is None:
            problems.append((f"{CONTENT}.person_spid", "This person is in no active household."))
    if not problems:
        problems = _type_problems(session, person, content, proposed, membership)
    if problems:
        raise ValidationFailed(problems)
    document = {k: v for k, v in content.items() if k != "id"}
    if request_type == "household_birth":
        document["household_status"] = content.get("household_status") or DEFAULT_BIRTH_STATUS
    return document


def _misplaced_fields(content: dict, request_type: str) -> Problems:
    problems = []
    if content.get("member_spid") and request_type not in MEMBER_TYPES:
        message = "member_spid is for household_member_left and death only."
        problems.append((f"{CONTENT}.member_spid", message))
    if content.get("household_status") and request_type != "household_birth":
        message = "household_status is for household_birth only."
        problems.append((f"{CONTENT}.household_status", message))
    return problems


def _proposal_presence(request_type: str, proposed: dict) -> Problems:
    if request_type in MEMBER_TYPES:
        if proposed:
            message = f"A {request_type} request proposes no changes; leave proposed_changes out."
            return [(PROPOSED, message)]
        return []
    if not proposed:
        return [(PROPOSED, f"A {request_type} request needs proposed_changes.")]
    if "status" in proposed:
        message = "A change request cannot change a person's status; report a death instead."
        return [(f"{PROPOSED}.status", message)]
    return []


def _type_problems(
    session: Session,
    person: Person,
    content: dict,
    proposed: dict,
    membership: Membership | None,
) -> Problems:
    request_type = content["request_type"]
    if request_type in PERSON_FIELD_TYPES:
        return _person_rule_problems(session, {**person.data, **proposed}, person)
    if request_type == "link_phone":
        return _link_phone_problems(session, person, proposed)
    assert membership is not None  # every household type has one by now
    if request_type == "household_birth":
        return _birth_problems(session, proposed, membership.household)
    return _member_problems(session, content.get("member_spid"), membership.household)


def _person_rule_problems(session: Session, document: dict, row: Person | None) -> Problems:
    """What the person's own rules say about ``document``, under proposed_changes."""
    try:
        _PERSONS.prepare(session, document, row)
    except ValidationFailed as failed:
        return [
            (PROPOSED + error["field"].removeprefix(CONTENT), error["message"])
            for error in failed.errors
        ]
    return []


def _link_phone_problems(session: Session, person: Person, proposed: dict) -> Problems:
    problems = [
        (f"{PROPOSED}.{name}", "A link_phone request adds phone numbers only.")
        for name in proposed
        if name != "phone_number"
    ]
    numbers = proposed.get("phone_number") or []
    if not numbers:
        problems.append((f"{PROPOSED}.phone_number", "Give the phone numbers to add."))
        return problems
    # The numbers alone, so that an error names the index the client sent.
    problems += _person_rule_problems(session, {**person.data, "phone_number": numbers}, person)
    if problems:
        return problems
    merged = {*person.data.get("phone_number", []), *(to_e164(number) for number in numbers)}
    if len(merged) > MAX_PHONES:
        message = f"A person has at most {MAX_PHONES} phone numbers."
        problems.append((f"{PROPOSED}.phone_number", message))
    return problems


def _birth_problems(session: Session, proposed: dict, household: Household) -> Problems:
    problems = [
        (f"{PROPOSED}.{name}", f"A birth gives only {', '.join(BIRTH_FIELDS)}.")
        for name in proposed
        if name not in BIRTH_FIELDS
    ]
    for name in ("sex", "birth_date"):
        if name not in proposed:
            problems.append((f"{PROPOSED}.{name}", "This field is required."))
    if "name" not in proposed and "name_km" not in proposed:
        problems.append((f"{PROPOSED}.name_km", "Give the baby's name (name_km or name)."))
    if problems:
        return problems
    return _person_rule_problems(session, birth_person(proposed, household, None), None)


def birth_person(proposed: dict, household: Household, person_id: str | None) -> dict:
    """The content of the person a birth registers: the given fields and the household's address."""
    content = {name: proposed[name] for name in BIRTH_FIELDS if name in proposed}
    content["status"] = "active"
    if household.data.get("address"):
        content["address"] = household.data["address"]
    if person_id is not None:
        content["id"] = person_id
    return content


def _member_problems(session: Session, member_spid: str | None, household: Household) -> Problems:
    field = f"{CONTENT}.member_spid"
    if not member_spid:
        return [(field, "Name the household member concerned (member_spid).")]
    theirs = household_of(session, member_spid)
    if theirs is None or theirs.household.id != household.id:
        return [(field, "This person is not a member of person_spid's household.")]
    if theirs.household_status == "head":
        return [(field, "The head cannot be removed; make another member the head first.")]
    return []
