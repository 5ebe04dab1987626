"""Households: members with one head, address, IDPoor level."""

from __future__ import annotations

from typing import TypedDict

from portal.registry.client.persons import Address
from portal.registry.client.resource import RecordResource


class HouseholdMember(TypedDict):
    spid: str
    household_status: str


class IDPoor(TypedDict, total=False):
    level: int
    card_number: str
    expiry: str
    verified_by: str | None
    verified_at: str | None
    self_declared: bool  # told by the household, not verified


class Household(TypedDict, total=False):
    id: str
    members: list[HouseholdMember]
    head_spid: str | None
    group_size: int
    address: Address | None
    idpoor: IDPoor | None
    status: str
    registration_date: str
    last_updated: str
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class Households(RecordResource[Household]):
    name = "households"
