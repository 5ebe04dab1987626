"""Deadlines per subject of grievance, as data (deadlines.yaml), checked at start.

`due_dates()` gives the day by which a case must be acknowledged and the day
by which it must be resolved; the portal stores both on the case when it is
reported (and again when it is reopened), and the escalation job compares
them with today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from flask import Flask
from jsonschema import Draft202012Validator

from portal.grievances.categories import CATEGORIES

PATH = Path(__file__).with_name("deadlines.yaml")
_DAYS = {"type": "integer", "minimum": 1, "maximum": 365}
_PAIR = {
    "type": "object",
    "properties": {"acknowledge_days": _DAYS, "resolve_days": _DAYS},
    "required": ["acknowledge_days", "resolve_days"],
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "properties": {
        "default": _PAIR,
        "appeal": _PAIR,
        "categories": {
            "type": "object",
            "propertyNames": {"enum": list(CATEGORIES)},
            "additionalProperties": _PAIR,
        },
    },
    "required": ["default", "appeal", "categories"],
    "additionalProperties": False,
}


class DeadlinesError(ValueError):
    """deadlines.yaml does not say what it must."""


@dataclass(frozen=True)
class Deadlines:
    acknowledge_days: int
    resolve_days: int


def parse(text: str) -> dict[str, Deadlines]:
    """The deadlines in ``text`` by category (plus "default" and "appeal")."""
    data = yaml.safe_load(text)
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=str)
    if errors:
        where = "/".join(str(part) for part in errors[0].absolute_path) or "(top)"
        raise DeadlinesError(f"deadlines: {where}: {errors[0].message}")
    pairs = {name: Deadlines(**data["categories"][name]) for name in data["categories"]}
    for name, value in pairs.items():
        if value.acknowledge_days > value.resolve_days:
            raise DeadlinesError(f"deadlines: {name}: acknowledged after it is to be resolved")
    return {**pairs, "default": Deadlines(**data["default"]), "appeal": Deadlines(**data["appeal"])}


@cache
def table() -> dict[str, Deadlines]:
    return parse(PATH.read_text(encoding="utf-8"))


def for_category(category: str, *, appeal: bool = False) -> Deadlines:
    found = table()
    if appeal:
        return found["appeal"]
    return found.get(category, found["default"])


def due_dates(category: str, day: dt.date, *, appeal: bool = False) -> tuple[dt.date, dt.date]:
    """(acknowledge by, resolve by) for a case of ``category`` reported on ``day``."""
    deadlines = for_category(category, appeal=appeal)
    return (
        day + dt.timedelta(days=deadlines.acknowledge_days),
        day + dt.timedelta(days=deadlines.resolve_days),
    )


def setup_deadlines(app: Flask) -> None:
    """Read and check deadlines.yaml now: a wrong file stops the portal at start."""
    table()
