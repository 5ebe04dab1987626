"""Builders of valid request content; every call gives new ids and national IDs."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, timedelta

VILLAGE = "01020101"  # អូរធំ, Banteay Neang, Mangkul Bourei, Banteay Meanchey
OTHER_VILLAGE = "12010101"


def new_id() -> str:
    return str(uuid.uuid4())


def new_nin() -> str:
    return f"{secrets.randbelow(10**9):09d}"


def new_phone() -> str:
    return f"012{secrets.randbelow(10**6):06d}"


def person_content(**overrides) -> dict:
    content = {
        "id": new_id(),
        "identifier": [{"identifier_type": "NIN", "identifier_value": new_nin()}],
        "name": {"given_name": "Sokha", "surname": "Chan"},
        "name_km": {"given_name": "សុខា", "surname": "ចាន់"},
        "birth_date": "1985-04-13",
        "sex": "female",
        "phone_number": [new_phone()],
        "address": {"village_code": VILLAGE},
        "marital_status": "married",
    }
    content.update(overrides)
    return content


def household_content(members: list[tuple[str, str]], **overrides) -> dict:
    content = {
        "id": new_id(),
        "members": [{"spid": spid, "household_status": role} for spid, role in members],
        "address": {"village_code": VILLAGE},
        "idpoor": {"level": 1, "card_number": f"IDP-{secrets.token_hex(3)}"},
    }
    content.update(overrides)
    return content


def unique_birth_date() -> str:
    """A birth date no other test is likely to use (the database is shared)."""
    return (date(1940, 1, 1) + timedelta(days=secrets.randbelow(25_000))).isoformat()
