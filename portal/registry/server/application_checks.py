"""An application's payments and list filters, checked.

Payments are a ledger: a payment once recorded never changes nor disappears,
each has its own id, and only an enrolled application has any (the write that
moves an approved application to enrolled may carry the first one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy.orm import InstrumentedAttribute

from portal.registry.server.errors import field_error
from portal.registry.server.kinds import CONTENT, Filter

PAYMENTS = f"{CONTENT}.payments"
PAYING_STATUS = "enrolled"
MAX_FILTER_VALUES = 100
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

Problems = list[tuple[str, str]]


def normalised_payment(payment: dict) -> dict:
    """A payment as stored: every field present, the amount a whole number."""
    return {
        "id": payment["id"],
        "paid_on": payment["paid_on"],
        "period": payment["period"],
        "amount_riel": int(payment["amount_riel"]),
        "provider_reference": payment.get("provider_reference"),
    }


def payment_problems(previous: list[dict], payments: list[dict], status: str) -> Problems:
    """What is wrong with ``payments`` replacing ``previous`` on an application that
    will be ``status`` after the write."""
    problems: Problems = []
    ids = [payment["id"].lower() for payment in payments]
    if len(set(ids)) != len(ids):
        problems.append((PAYMENTS, "Each payment has its own id."))
    by_id = {payment["id"]: payment for payment in payments}
    if any(by_id.get(old["id"]) != normalised_payment(old) for old in previous):
        problems.append((PAYMENTS, "A recorded payment cannot change or be removed; add new ones."))
    if payments and status != PAYING_STATUS:
        problems.append((PAYMENTS, f"Only an application that is {PAYING_STATUS} has payments."))
    return problems


def any_of(column: InstrumentedAttribute, name: str, allowed: Iterable[str] = ()) -> Filter:
    """A filter on one value or several separated by commas (``a,b``); ``allowed``,
    when given, lists the values that exist."""
    allowed = tuple(allowed)
    known = frozenset(allowed)

    def condition(value: str):
        values = value.split(",")
        if any(not one for one in values) or len(values) > MAX_FILTER_VALUES:
            raise field_error(
                name, f"Give up to {MAX_FILTER_VALUES} values separated by commas, none empty."
            )
        unknown = sorted(set(values) - known) if known else []
        if unknown:
            raise field_error(name, f"Unknown value {unknown[0]!r}: one of {', '.join(allowed)}.")
        return column.in_(values)

    return condition


def start_of_day(value: str, name: str) -> datetime:
    """The first moment (UTC) of the ISO date ``value``, or 422 on ``name``."""
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise field_error(name, f"{name} is a date written YYYY-MM-DD.") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
