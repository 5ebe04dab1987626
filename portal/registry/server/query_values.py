"""Values from the query string and the path, checked before they reach the database.

Every value a view hands to a query goes through here: list filters must be
non-empty storable text (an empty filter is an error, not "no filter"), page
numbers whole numbers in range, path ids storable text. Problems are 422s.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request

from portal.registry.server.errors import field_error
from portal.registry.server.safe_text import text_problem


def text_value(name: str, value: str) -> str:
    """``value`` if the database can compare it; otherwise 422 on ``name``."""
    problem = text_problem(value)
    if problem:
        raise field_error(name, problem)
    return value


def filter_values(names: Iterable[str]) -> dict[str, str]:
    """The filters among ``names`` that the query string gives, each checked."""
    filters = {}
    for name in names:
        if name not in request.args:
            continue
        value = request.args[name]
        if not value:
            raise field_error(name, f"{name} must not be empty; leave it out to not filter.")
        filters[name] = text_value(name, value)
    return filters


def whole_number(name: str, default: int, low: int, high: int) -> int:
    """The query parameter ``name`` as a whole number from ``low`` to ``high``."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise field_error(name, f"{name} must be a whole number from {low} to {high}.")
    return int(raw)
