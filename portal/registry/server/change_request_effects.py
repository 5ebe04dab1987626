"""What an approved change request does to the registry's data.

Applied from ``ChangeRequestKind.after_write`` inside the approval's
transaction: the approval, the changed records, their history and their
access-log entries are committed together or not at all. The request was
checked (``change_request_checks``) moments before, in the same transaction.
Changes are made as the approver, so ``updated_by`` and the access log name them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server import store
from portal.registry.server.audit import Actor, now
from portal.registry.server.change_request_checks import (
    DEFAULT_BIRTH_STATUS,
    PERSON_FIELD_TYPES,
    birth_person,
    household_of,
)
from portal.registry.server.errors import ApiError
from portal.registry.server.households import HouseholdKind
from portal.registry.server.kinds import iso
from portal.registry.server.models import ChangeRequest, Person
from portal.registry.server.persons import PersonKind
from portal.registry.server.spid import new_spid

# The person a birth registers has the id uuid5(BIRTH_NAMESPACE, request id):
# applying the same request twice can only ever reach the same person.
BIRTH_NAMESPACE = uuid.UUID("0b6f1c9e-3d2a-4e8f-9c71-5a4d2e8b7f30")
_SPID_ATTEMPTS = 5
_PERSONS = PersonKind()
_HOUSEHOLDS = HouseholdKind()
_STALE = "A record this request changes was changed at the same time; read it and try again."

Effect = Callable[[Session, ChangeRequest, Person, Actor], Person]


def birth_person_id(request_id: str) -> str:
    return str(uuid.uuid5(BIRTH_NAMESPACE, request_id))


def apply_approved(session: Session, request: ChangeRequest, actor: Actor) -> None:
    """Change the data as the approved request says, and record that on the request."""
    request_type = request.data["request_type"]
    with session.no_autoflush:
        # Everything recorded on the request is known before anything is
        # written, so the request is written once (one new version).
        born_spid = _birth_spid(session, request) if request_type == "household_birth" else None
        person = session.scalars(select(Person).where(Person.spid == request.person_spid)).one()
    request.data = {**request.data, "applied_at": iso(now()), "new_person_spid": born_spid}
    effect = _effect(request_type)
    changed = effect(session, request, person, actor)
    # Now, not at the commit: a refused national ID is explained as the
    # person's conflict (409 err.nin.duplicate), and nothing is kept.
    store.flush(session, _PERSONS, changed, stale_message=_STALE)


def _effect(request_type: str) -> Effect:
    if request_type == "address":
        return _move
    if request_type in PERSON_FIELD_TYPES:
        return _replace_person_fields
    return {
        "link_phone": _link_phones,
        "household_birth": _register_birth,
        "household_member_left": _member_left,
        "death": _member_died,
    }[request_type]


def _replace_person_fields(
    session: Session, request: ChangeRequest, person: Person, actor: Actor
) -> Person:
    store.apply_update(session, _PERSONS, person, request.data["proposed_changes"], actor)
    return person


def _link_phones(session: Session, request: ChangeRequest, person: Person, actor: Actor) -> Person:
    # PersonKind.prepare makes them E.164 and drops repeats, the existing ones first.
    numbers = [
        *person.data.get("phone_number", []),
        *request.data["proposed_changes"]["phone_number"],
    ]
    store.apply_update(session, _PERSONS, person, {"phone_number": numbers}, actor)
    return person


def _move(session: Session, request: ChangeRequest, person: Person, actor: Actor) -> Person:
    """The person's new address; when they head a household, the whole family moved."""
    address = request.data["proposed_changes"]["address"]
    store.apply_update(session, _PERSONS, person, {"address": address}, actor)
    membership = household_of(session, person.spid)
    if membership is None or membership.household_status != "head":
        return person
    household = membership.household
    store.apply_update(session, _HOUSEHOLDS, household, {"address": address}, actor)
    others = [m["spid"] for m in household.data["members"] if m["spid"] != person.spid]
    members = session.scalars(
        select(Person).where(Person.spid.in_(others), Person.status == "active")
    ).all()
    for member in members:
        store.apply_update(session, _PERSONS, member, {"address": address}, actor)
    return person


def _register_birth(
    session: Session, request: ChangeRequest, person: Person, actor: Actor
) -> Person:
    membership = household_of(session, person.spid)
    assert membership is not None  # checked when the request was approved
    household = membership.household
    baby = session.get(Person, birth_person_id(request.id))
    if baby is None:
        baby = _add_baby(session, request, household, actor)
    if all(m["spid"] != baby.spid for m in household.data["members"]):
        role = request.data.get("household_status") or DEFAULT_BIRTH_STATUS
        members = [*household.data["members"], {"spid": baby.spid, "household_status": role}]
        store.apply_update(session, _HOUSEHOLDS, household, {"members": members}, actor)
    return baby


def _add_baby(session: Session, request: ChangeRequest, household, actor: Actor) -> Person:
    content = birth_person(request.data["proposed_changes"], household, birth_person_id(request.id))
    baby = store.build_row(session, _PERSONS, content, actor)
    _PERSONS.before_insert(session, baby)
    baby.spid = request.data["new_person_spid"]  # reserved by _birth_spid
    session.add(baby)
    store.record_creation(session, _PERSONS, baby, actor)
    return baby


def _birth_spid(session: Session, request: ChangeRequest) -> str:
    """The SPID of the person the birth registers: theirs if they exist, else a free one.

    Checked before the insert rather than caught at it: a failed insert would
    roll back the whole approval. A clash with an insert at the same moment
    still fails the approval (409) without changing anything."""
    existing = session.get(Person, birth_person_id(request.id))
    if existing is not None:
        return existing.spid
    for _attempt in range(_SPID_ATTEMPTS):
        spid = new_spid()
        if session.scalar(select(Person.id).where(Person.spid == spid)) is None:
            return spid
    raise ApiError(503, "err.registry.busy", "Could not allocate an identifier; try again.")


def _member_left(session: Session, request: ChangeRequest, person: Person, actor: Actor) -> Person:
    return _remove_member(session, request, actor)


def _member_died(session: Session, request: ChangeRequest, person: Person, actor: Actor) -> Person:
    member = _remove_member(session, request, actor)
    death = {"reason": "death", "note": f"Change request {request.id}"}
    store.apply_update(
        session, _PERSONS, member, {"status": "inactive"}, actor, status_change=death
    )
    return member


def _remove_member(session: Session, request: ChangeRequest, actor: Actor) -> Person:
    member_spid = request.data["member_spid"]
    membership = household_of(session, member_spid)
    assert membership is not None  # checked when the request was approved
    household = membership.household
    members = [m for m in household.data["members"] if m["spid"] != member_spid]
    store.apply_update(session, _HOUSEHOLDS, household, {"members": members}, actor)
    return session.scalars(select(Person).where(Person.spid == member_spid)).one()
