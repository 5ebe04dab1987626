"""List filters shared by record types: one value or a comma list, a date, yes or no."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from portal.registry.server.errors import field_error
from portal.registry.server.kinds import Filter

MAX_FILTER_VALUES = 100
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


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


def a_date(value: str, name: str) -> date:
    """The ISO date ``value``, or 422 on ``name``."""
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(name, f"{name} is a date written YYYY-MM-DD.") from None


def start_of_day(value: str, name: str) -> datetime:
    """The first moment (UTC) of the ISO date ``value``, or 422 on ``name``."""
    day = a_date(value, name)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def yes_no(name: str, when_yes: ColumnElement[bool], when_no: ColumnElement[bool]) -> Filter:
    """A filter taking ``true`` or ``false``."""

    def condition(value: str):
        if value not in ("true", "false"):
            raise field_error(name, f"{name} is true or false.")
        return when_yes if value == "true" else when_no

    return condition
