"""The facts a person gives the engine: what is known, checked and flattened.

Facts arrive as the nested JSON object of PROGRAMMES.md (``person``,
``household``, ``children``). Every key is optional: a key that is absent is
*unknown*. ``children`` are the person's own children;
``household.child_under_2`` says a child under 2 lives in the household (the
person's own, a grandchild or another child they look after). Two keys give
``null`` a meaning of its own: ``idpoor_level: null`` (no Equity Card) and
``school_grade: null`` (not enrolled in school).

``validate_facts`` returns field errors (path → message) for the API's 400
answer; ``parse_facts`` turns valid facts into a flat mapping from a fact path
(``"person.birth_date"``) to its value, which is what conditions read.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

EMPLOYMENT_VALUES = (
    "none",
    "informal",
    "self_employed",
    "nssf_employee",
    "civil_servant",
    "public_contract_staff",
    "retired_civil_servant",
    "veteran",
)
SEX_VALUES = ("female", "male")
MAX_CHILDREN = 30
CHILDREN = "children"
CHILD_BIRTH_DATE = "children[].birth_date"


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact the engine knows: its path, kind and allowed values."""

    path: str
    kind: str  # "date", "bool", "int", "number", "enum", "children"
    nullable: bool = False
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    verified_by: str | None = None  # a fact whose `true` means the registry confirmed this one


# In the order a screener would naturally ask about them.
FACTS: tuple[Fact, ...] = (
    Fact("person.birth_date", "date"),
    Fact("person.sex", "enum", choices=SEX_VALUES),
    Fact(
        "household.idpoor_level",
        "enum",
        nullable=True,
        choices=(1, 2),
        verified_by="household.idpoor_verified",
    ),
    Fact("household.equity_card_expiry", "date", verified_by="household.idpoor_verified"),
    Fact("household.idpoor_verified", "bool"),
    Fact("person.employment", "enum", choices=EMPLOYMENT_VALUES),
    Fact("person.pregnant", "bool"),
    Fact("household.child_under_2", "bool"),
    Fact(CHILDREN, "children"),
    Fact("person.disability", "bool"),
    Fact("person.disability_card", "bool"),
    Fact("person.living_with_hiv", "bool"),
    Fact("household.member_living_with_hiv", "bool"),
    Fact("person.school_grade", "int", nullable=True, minimum=1, maximum=12),
    Fact("person.school_attendance_percent", "number", minimum=0, maximum=100),
    Fact("person.nssf_contribution_months_last_12", "int", minimum=0, maximum=12),
    Fact("person.nssf_pension_contribution_months", "int", minimum=0, maximum=1200),
)
FACTS_BY_PATH: dict[str, Fact] = {fact.path: fact for fact in FACTS}
FACT_ORDER: dict[str, int] = {fact.path: index for index, fact in enumerate(FACTS)}
SECTIONS = ("person", "household")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InvalidFacts(ValueError):
    """Facts that cannot be evaluated; ``errors`` maps a path to a message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))


def _as_date(value: Any) -> datetime.date | None:
    """A ``date`` from a ``date`` object or a strict ``YYYY-MM-DD`` string, else None."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_value(fact: Fact, value: Any, today: datetime.date | None) -> str | None:
    """An error message for ``value`` of ``fact``, or None when it is valid."""
    if value is None:
        return None if fact.nullable else str(_l("Leave this out when it is not known."))
    if fact.kind == "date":
        parsed = _as_date(value)
        if parsed is None:
            return str(_l("Give a real date as YYYY-MM-DD."))
        if today is not None and fact.path.endswith("birth_date") and parsed > today:
            return str(_l("A date of birth cannot be in the future."))
        return None
    if fact.kind == "bool":
        return None if isinstance(value, bool) else str(_l("Give true or false."))
    if fact.kind == "enum":
        if isinstance(value, bool) or value not in fact.choices:
            allowed = ", ".join(str(choice) for choice in fact.choices)
            return str(_l("Give one of: %(allowed)s.", allowed=allowed))
        return None
    if fact.kind == "int" and not _is_int(value):
        return str(_l("Give a whole number."))
    if fact.kind == "number" and (
        isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value)
    ):
        return str(_l("Give a number."))
    if (fact.minimum is not None and value < fact.minimum) or (
        fact.maximum is not None and value > fact.maximum
    ):
        return str(
            _l("Give a number from %(low)s to %(high)s.", low=fact.minimum, high=fact.maximum)
        )
    return None


def _check_children(value: Any, today: datetime.date | None, errors: dict[str, str]) -> None:
    if not isinstance(value, list):
        errors[CHILDREN] = str(_l("Give a list of children."))
        return
    if len(value) > MAX_CHILDREN:
        errors[CHILDREN] = str(_l("Give at most %(count)s children.", count=MAX_CHILDREN))
        return
    birth_date = FACTS_BY_PATH["person.birth_date"]
    for index, child in enumerate(value):
        path = f"{CHILDREN}[{index}]"
        if not isinstance(child, Mapping):
            errors[path] = str(_l("Give each child as an object."))
            continue
        for key in child:
            if key != "birth_date":
                errors[f"{path}.{key}"] = str(_l("This is not a known fact."))
        if "birth_date" in child:
            message = _check_value(birth_date, child["birth_date"], today)
            if message:
                errors[f"{path}.birth_date"] = message


def validate_facts(facts: Any, today: datetime.date | None = None) -> dict[str, str]:
    """Field errors for ``facts``: ``{"person.school_attendance_percent": "..."}``.

    An empty dict means the facts are valid. With ``today`` given, dates of
    birth after it are errors too. Messages are in the current language.
    """
    errors: dict[str, str] = {}
    if not isinstance(facts, Mapping):
        return {"facts": str(_l("Give the facts as an object."))}
    for key, value in facts.items():
        if key == CHILDREN:
            _check_children(value, today, errors)
        elif key not in SECTIONS:
            errors[str(key)] = str(_l("This is not a known fact."))
        elif not isinstance(value, Mapping):
            errors[key] = str(_l("Give this as an object."))
        else:
            for name, item in value.items():
                path = f"{key}.{name}"
                fact = FACTS_BY_PATH.get(path)
                message = (
                    _check_value(fact, item, today)
                    if fact
                    else str(_l("This is not a known fact."))
                )
                if message:
                    errors[path] = message
    return errors


def parse_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten valid facts to ``{path: value}``; an absent path is unknown.

    Dates become ``datetime.date``; ``children`` becomes a list of child
    birth dates, each ``None`` when that child's date is unknown.
    Raises ``InvalidFacts`` when the facts do not validate.
    """
    errors = validate_facts(facts)
    if errors:
        raise InvalidFacts(errors)
    flat: dict[str, Any] = {}
    for section in SECTIONS:
        for name, value in facts.get(section, {}).items():
            path = f"{section}.{name}"
            flat[path] = _as_date(value) if FACTS_BY_PATH[path].kind == "date" else value
    if CHILDREN in facts:
        flat[CHILDREN] = [_as_date(child.get("birth_date")) for child in facts[CHILDREN]]
    return flat


def without_unverified(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The same facts with every self-declared fact made unknown.

    A fact with ``verified_by`` counts as verified only when that flag is
    ``true`` (for IDPoor: ``household.idpoor_verified``, set by the registry).
    """
    return {
        path: value
        for path, value in flat.items()
        if not (
            (fact := FACTS_BY_PATH.get(path))
            and fact.verified_by
            and flat.get(fact.verified_by) is not True
        )
    }
