"""Persons: DCI Person fields, Khmer names beside the Latin ones, SPID, access log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

from portal.khmer import to_ascii_digits
from portal.registry.client.base import Actor
from portal.registry.client.resource import RecordResource


class Name(TypedDict, total=False):
    given_name: str
    surname: str
    second_name: str | None
    prefix: str | None
    suffix: str | None


class Identifier(TypedDict):
    identifier_type: Literal["NIN", "IDPOOR", "DISABILITY_CARD", "PASSPORT", "BIRTH_CERTIFICATE"]
    identifier_value: str


class Place(TypedDict):
    code: str
    name_km: str
    name_en: str


class Address(TypedDict, total=False):
    village_code: str
    address_line: str | None
    province: Place
    district: Place
    commune: Place
    village: Place


class Person(TypedDict, total=False):
    id: str
    spid: str
    spid_display: str
    identifier: list[Identifier]
    name: Name
    name_km: Name
    birth_date: str
    birth_date_estimated: bool  # only the year is known
    sex: Literal["male", "female", "other", "unknown"]
    phone_number: list[str]
    address: Address | None
    is_disabled: bool
    disability_card: dict | None
    marital_status: str
    employment_status: str
    status: Literal["active", "inactive"]
    household_identifier: str | None
    household_status: str | None
    possible_duplicates: list[str]
    registration_date: str
    last_updated: str
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


@dataclass(frozen=True)
class AccessLogEntry:
    at: str
    action: str
    actor: str
    on_behalf_of: str | None
    purpose: str
    client_id: str
    channel: str | None = None  # web, officer, sms, call_centre, when the client said


@dataclass(frozen=True)
class AccessLog:
    person_spid: str
    count: int
    entries: list[AccessLogEntry]


class Persons(RecordResource[Person]):
    name = "persons"

    def read_by_spid(self, spid: str, *, actor: Actor) -> Person:
        """Read by SPID as a person types it: grouped, hyphenated, Khmer digits."""
        typed = to_ascii_digits(spid).replace(" ", "").replace("-", "")
        return self._read_by({"spid": typed}, actor)

    def deactivate(self, person_id: str, *, actor: Actor, if_match: str | None = None) -> Person:
        """No delete in the registry: the person becomes inactive."""
        return self.update(person_id, {"status": "inactive"}, actor=actor, if_match=if_match)

    def access_log(
        self, person_id: str, *, actor: Actor, page: int = 1, page_size: int = 50
    ) -> AccessLog:
        """Who read or changed this person's data, newest first."""
        answer = self._connection.call(
            "GET",
            f"/data/persons/1.0/{person_id}/access-log",
            params={"page": page, "pageSize": page_size},
            actor=actor,
            idempotent=True,
            route="/data/persons/1.0/{id}/access-log",
        )
        body = answer.body
        return AccessLog(
            person_spid=body["person_spid"],
            count=body["count"],
            entries=[AccessLogEntry(**entry) for entry in body["results"]],
        )
