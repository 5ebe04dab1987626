"""Households: members (one head), address and IDPoor status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import gazetteer
from portal.registry.server.audit import Actor
from portal.registry.server.errors import ApiError, ValidationFailed
from portal.registry.server.kinds import CONTENT, Filter, RecordKind, iso, meta, subject_ids_of
from portal.registry.server.models import Household, HouseholdMember, Person
from portal.registry.server.persons import present_address


class HouseholdKind(RecordKind):
    name = "households"
    label = "household"
    model = Household
    initial_status = "active"
    transitions = {"active": ("inactive",), "inactive": ("active",)}

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        errors: list[tuple[str, str]] = []
        members = content.get("members", [])
        heads = [m for m in members if m["household_status"] == "head"]
        if content["status"] == "active" and len(heads) != 1:
            errors.append((f"{CONTENT}.members", "An active household has exactly one head."))
        seen: set[str] = set()
        for index, member in enumerate(members):
            field = f"{CONTENT}.members.{index}.spid"
            if member["spid"] in seen:
                errors.append((field, "This person is listed twice."))
                continue
            seen.add(member["spid"])
            problem = self._membership_problem(session, member["spid"], row)
            if problem:
                errors.append((field, problem))
        address = content.get("address")
        if address and not gazetteer.is_village(address["village_code"]):
            errors.append((f"{CONTENT}.address.village_code", "No village has this code."))
        if self._unverified_yet_verified(content.get("idpoor")):
            errors.append(
                (
                    f"{CONTENT}.idpoor.self_declared",
                    "A self-declared card is not verified: verified_by and verified_at are null.",
                )
            )
        if errors:
            raise ValidationFailed(errors)
        document = {k: v for k, v in content.items() if k != "id"}
        columns = {
            "status": content["status"],
            "village_code": address["village_code"] if address else None,
        }
        return document, columns

    @staticmethod
    def _unverified_yet_verified(idpoor: dict | None) -> bool:
        if not idpoor or not idpoor.get("self_declared"):
            return False
        return bool(idpoor.get("verified_by") or idpoor.get("verified_at"))

    @staticmethod
    def _membership_problem(session: Session, spid: str, row: Household | None) -> str | None:
        person = session.scalar(select(Person).where(Person.spid == spid))
        if person is None or person.status != "active":
            return "No active person has this SPID."
        membership = session.get(HouseholdMember, person.id)
        if membership is not None and (row is None or membership.household_id != row.id):
            return "This person already belongs to another household."
        return None

    def subject_ids(self, session: Session, rows: list[Household]) -> list[str]:
        spids = {member["spid"] for row in rows for member in row.data.get("members", [])}
        return subject_ids_of(session, spids)

    def filters(self) -> dict[str, Filter]:
        return {
            "village_code": lambda value: Household.village_code.startswith(value),
            "status": lambda value: Household.status == value,
            "member_spid": lambda value: Household.id.in_(
                select(HouseholdMember.household_id)
                .join(Person, Person.id == HouseholdMember.person_id)
                .where(Person.spid == value)
            ),
        }

    def after_write(
        self, session: Session, row: Household, previous_data: dict | None, actor: Actor
    ) -> None:
        members = row.data.get("members", []) if row.status == "active" else []
        if previous_data is not None and previous_data.get("members") == members:
            return
        session.execute(delete(HouseholdMember).where(HouseholdMember.household_id == row.id))
        session.flush()
        if not members:
            return
        people = dict(
            session.execute(
                select(Person.spid, Person.id).where(Person.spid.in_([m["spid"] for m in members]))
            ).all()
        )
        session.add_all(
            HouseholdMember(
                person_id=people[m["spid"]],
                household_id=row.id,
                household_status=m["household_status"],
            )
            for m in members
        )

    def conflict(self, session: Session, row: Household) -> ApiError | None:
        existing = super().conflict(session, row)
        if existing is not None:
            return existing
        return ApiError(
            409, "err.member.duplicate", "A member joined another household at the same time."
        )

    def present(self, session: Session, row: Household) -> dict:
        members = row.data.get("members", [])
        head = next((m["spid"] for m in members if m["household_status"] == "head"), None)
        return {
            **row.data,
            **meta(row),
            "head_spid": head,
            "group_size": len(members),
            "address": present_address(row.data.get("address")),
            "registration_date": iso(row.created_at),
            "last_updated": iso(row.updated_at),
        }
