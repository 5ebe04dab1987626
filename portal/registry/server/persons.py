"""Persons: SPID, national ID, phones, address and possible duplicates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, select
from sqlalchemy.orm import Session

from portal import gazetteer
from portal.khmer import comparison_key, to_ascii_digits
from portal.registry.server.audit import Actor, now
from portal.registry.server.errors import ApiError, ValidationFailed, field_error
from portal.registry.server.kinds import CONTENT, Filter, RecordKind, iso, meta
from portal.registry.server.models import HouseholdMember, Person, PersonPhone
from portal.registry.server.name_search import keep_keys
from portal.registry.server.phones import to_e164
from portal.registry.server.spid import format_spid, new_spid, normalise_spid

_VILLAGE_PREFIX_COLUMNS = {
    2: Person.province_code,
    4: Person.district_code,
    6: Person.commune_code,
    8: Person.village_code,
}


def place_filter(value: str) -> ColumnElement[bool]:
    """Persons in the province, district, commune or village with this code."""
    column = _VILLAGE_PREFIX_COLUMNS.get(len(value))
    if column is None:
        raise field_error("village_code", "Give a 2, 4, 6 or 8 digit place code.")
    return column == value


def present_address(address: dict | None) -> dict | None:
    """The stored address with the Khmer and English names of each level."""
    if not address:
        return None
    path = gazetteer.village_path(address["village_code"]) or {}
    return {**address, **path}


def latest_date_anywhere() -> date:
    """Today's date where it is latest (UTC+14): no one is born after it."""
    return (now() + timedelta(hours=14)).date()


# Search by Khmer name is a prefix match up to the first separator (search.py).
DEDUP_KEY_SEPARATOR = "|"


def dedup_key(document: dict) -> str | None:
    """Normalised Khmer name + birth date + village: equal keys are possible duplicates."""
    name_km = document.get("name_km")
    address = document.get("address")
    if not name_km or not address:
        return None
    name = comparison_key(f"{name_km['surname']} {name_km['given_name']}")
    parts = (name, document["birth_date"], address["village_code"])
    return DEDUP_KEY_SEPARATOR.join(parts)


_MEMBERSHIPS = select(
    HouseholdMember.person_id, HouseholdMember.household_id, HouseholdMember.household_status
).where(HouseholdMember.person_id.in_(bindparam("ids", expanding=True)))
_SAME_KEY = (
    select(Person.dedup_key, Person.id, Person.spid)
    .where(Person.dedup_key.in_(bindparam("keys", expanding=True)))
    .order_by(Person.spid)
)


class PersonKind(RecordKind):
    name = "persons"
    label = "person"
    model = Person
    initial_status = "active"
    transitions = {"active": ("inactive",), "inactive": ("active",)}
    read_keys = ("id", "spid")

    def prepare(self, session: Session, content: dict, row: Any | None) -> tuple[dict, dict]:
        errors: list[tuple[str, str]] = []
        identifiers, nin = self._identifiers(content.get("identifier", []), errors)
        phones = self._phones(content.get("phone_number", []), errors)
        address = content.get("address")
        if address and not gazetteer.is_village(address["village_code"]):
            errors.append((f"{CONTENT}.address.village_code", "No village has this code."))
        birth_date = date.fromisoformat(content["birth_date"])
        if birth_date > latest_date_anywhere():
            errors.append((f"{CONTENT}.birth_date", "A birth date cannot be in the future."))
        if errors:
            raise ValidationFailed(errors)
        document = {**content, "identifier": identifiers, "phone_number": phones}
        document.pop("id", None)
        village = address["village_code"] if address else None
        columns = {
            "nin": nin,
            "status": document["status"],
            "birth_date": birth_date,
            "sex": document["sex"],
            "province_code": village[:2] if village else None,
            "district_code": village[:4] if village else None,
            "commune_code": village[:6] if village else None,
            "village_code": village,
            "dedup_key": dedup_key(document),
        }
        return document, columns

    @staticmethod
    def _identifiers(items: list[dict], errors: list) -> tuple[list[dict], str | None]:
        cleaned = []
        nins = []
        for item in items:
            value = to_ascii_digits(item["identifier_value"]).upper()
            cleaned.append({"identifier_type": item["identifier_type"], "identifier_value": value})
            if item["identifier_type"] == "NIN":
                nins.append(value)
        if len(nins) > 1:
            errors.append((f"{CONTENT}.identifier", "A person has at most one national ID."))
        return cleaned, (nins[0] if nins else None)

    @staticmethod
    def _phones(items: list[str], errors: list) -> list[str]:
        numbers: list[str] = []
        for index, text in enumerate(items):
            e164 = to_e164(text)
            if e164 is None:
                errors.append((f"{CONTENT}.phone_number.{index}", "Not a valid phone number."))
            elif e164 not in numbers:
                numbers.append(e164)
        return numbers

    def subject_ids(self, session: Session, rows: list[Person]) -> list[str]:
        return [row.id for row in rows]

    def filters(self) -> dict[str, Filter]:
        return {"village_code": place_filter, "status": lambda value: Person.status == value}

    def find_by(self, session: Session, key: str, value: str) -> Person | None:
        if key == "spid":
            value = normalise_spid(value)
        return super().find_by(session, key, value)

    def before_insert(self, session: Session, row: Person) -> None:
        row.spid = new_spid()
        row.registration_date = row.created_at

    def conflict(self, session: Session, row: Person) -> ApiError | None:
        if row.nin is not None:
            holder = session.scalar(select(Person).where(Person.nin == row.nin))
            if holder is not None and holder.id != row.id:
                return ApiError(
                    409,
                    "err.nin.duplicate",
                    "This national ID is already registered.",
                    existing_spid=holder.spid,
                    field=f"{CONTENT}.identifier",
                )
        return super().conflict(session, row)

    def after_write(
        self, session: Session, row: Person, previous_data: dict | None, actor: Actor
    ) -> None:
        keep_keys(session, row.id, row.data, previous_data)
        before = (previous_data or {}).get("phone_number", [])
        if before == row.data["phone_number"]:
            return
        session.execute(delete(PersonPhone).where(PersonPhone.person_id == row.id))
        session.add_all(
            PersonPhone(person_id=row.id, e164=number) for number in row.data["phone_number"]
        )

    def present(self, session: Session, row: Person) -> dict:
        return self.present_many(session, [row])[0]

    def present_many(self, session: Session, rows: list[Person]) -> list[dict]:
        """Present a page of persons with two queries, whatever its size."""
        ids = [row.id for row in rows]
        # Plain column queries, built once, on the session's connection: the
        # ORM's layer and building the queries cost more than running them.
        connection = session.connection()
        memberships = {
            person_id: (household_id, status)
            for person_id, household_id, status in connection.execute(_MEMBERSHIPS, {"ids": ids})
        }
        keys = [key for key in dict.fromkeys(row.dedup_key for row in rows) if key is not None]
        same_key: dict[str, list[tuple[str, str]]] = {}
        if keys:
            for key, person_id, spid in connection.execute(_SAME_KEY, {"keys": keys}):
                same_key.setdefault(key, []).append((person_id, spid))
        return [
            self._present(row, memberships.get(row.id), same_key.get(row.dedup_key, []))
            for row in rows
        ]

    @staticmethod
    def _present(
        row: Person, membership: tuple[str, str] | None, same_key: list[tuple[str, str]]
    ) -> dict:
        duplicates = [spid for person_id, spid in same_key if person_id != row.id][:20]
        return {
            **row.data,
            **meta(row),
            "spid": row.spid,
            "spid_display": format_spid(row.spid),
            "address": present_address(row.data.get("address")),
            "household_identifier": membership[0] if membership else None,
            "household_status": membership[1] if membership else None,
            "possible_duplicates": duplicates,
            "registration_date": iso(row.registration_date),
            "last_updated": iso(row.updated_at),
        }
