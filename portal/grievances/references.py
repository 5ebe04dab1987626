"""A grievance's reference, GR-<year>-<6 digits>, made by the portal from the
record's id so that the person has it even while the registry is away.

It is read aloud, so it is short, and therefore not unique: it is always used
with the phone number or PIN it was reported with, or the signed-in person."""

from __future__ import annotations

import datetime as dt
import re
import uuid

PATTERN = re.compile(r"^GR-[0-9]{4}-[0-9]{6}$")


def reference_of(record_id: str, day: dt.date) -> str:
    return f"GR-{day.year:04d}-{uuid.UUID(record_id).int % 1_000_000:06d}"


def normalised(text: str | None) -> str | None:
    """A reference as typed ("gr 2026 004217", "GR-2026-004 217") in its
    written form, or None when it cannot be one."""
    if not text or len(text) > 40:
        return None
    digits = re.sub(r"[^0-9]", "", _latin_digits(text))
    if len(digits) != 10:
        return None
    return f"GR-{digits[:4]}-{digits[4:]}"


def _latin_digits(text: str) -> str:
    return text.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))
