"""What a DCI search asks, as a condition on persons.

Query types: ``idtype-value`` (``SPID``, ``NIN``, ``MOBILE``,
``HOUSEHOLD_ID``), ``predicate`` (a list of ``expression1 [condition
expression2]`` items, combined with and) and ``expression`` (a predicate list,
as the official examples send it, or the NoSql template of
``search_expression``). Anything this registry cannot answer raises
``Rejected`` with the official reason code, for that search item alone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, not_, or_, select

from portal.khmer import comparison_key, to_ascii_digits
from portal.registry.server.models import HouseholdMember, Person, PersonPhone
from portal.registry.server.name_search import NameTerms
from portal.registry.server.persons import DEDUP_KEY_SEPARATOR
from portal.registry.server.phones import to_e164
from portal.registry.server.spid import normalise_spid

ID_TYPES = ("SPID", "NIN", "MOBILE", "HOUSEHOLD_ID")
MAX_ITEMS = 10
MAX_IN_VALUES = 50
MAX_VALUE_LENGTH = 201

COLUMNS = {
    "birth_date": Person.birth_date,
    "sex": Person.sex,
    "province_code": Person.province_code,
    "district_code": Person.district_code,
    "commune_code": Person.commune_code,
    "village_code": Person.village_code,
    "registration_date": Person.registration_date,
    "spid": Person.spid,
}
# Names the official examples and other registries use for the same attributes.
ALIASES = {"gender": "sex", "dob": "birth_date", "date_of_birth": "birth_date"}
_IDENTIFIERS = {"nin": "NIN", "phone": "MOBILE", "household_id": "HOUSEHOLD_ID"}
ATTRIBUTES = (*COLUMNS, *ALIASES, *_IDENTIFIERS, "name", "name_km", "age")
OPERATORS = ("eq", "gt", "lt", "ge", "le", "in")
_COMPARISONS = {
    "eq": lambda c, v: c == v,
    "gt": lambda c, v: c > v,
    "lt": lambda c, v: c < v,
    "ge": lambda c, v: c >= v,
    "le": lambda c, v: c <= v,
}
_SEXES = {"m": "male", "f": "female", "male": "male", "female": "female", "other": "other"}
_LIKE_SPECIAL = re.compile(r"[\\%_]")


class Rejected(Exception):
    """A search item that cannot be answered: DCI reason code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def invalid(message: str) -> Rejected:
    return Rejected("rjct.search_criteria.invalid", message)


def build_condition(query_type: str, query: Any) -> tuple[ColumnElement[bool], NameTerms]:
    """The search's condition, and the name words in it (for ranking)."""
    if query_type == "idtype-value":
        return _id_query(query), NameTerms(None)
    if query_type == "expression" and isinstance(query, dict):
        from portal.registry.server.search_expression import template_condition

        names = NameTerms(None)
        return template_condition(query, names), names
    if not isinstance(query, list) or not query:
        raise invalid(f"{query_type} needs a list of predicate items.")
    if len(query) > MAX_ITEMS:
        raise invalid(f"At most {MAX_ITEMS} predicate items.")
    if not all(isinstance(item, dict) for item in query):
        raise invalid("Each predicate item is an object.")
    items = sorted(query, key=_sequence)
    names = NameTerms(_top_level_communes(items))
    return and_(*(_predicate(item, names) for item in items)), names


def _sequence(item: dict) -> float:
    number = item.get("seq_num")
    return float(number) if isinstance(number, int | float) else 0.0


def _id_query(query: Any) -> ColumnElement[bool]:
    if not isinstance(query, dict) or not isinstance(query.get("type"), str):
        raise invalid("idtype-value needs {type, value}.")
    id_type, value = query["type"], query.get("value")
    if id_type not in ID_TYPES:
        raise invalid(
            f"This registry holds no {id_type[:40]!r} identifiers: {', '.join(ID_TYPES)}."
        )
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise invalid("idtype-value needs a value: a text of 1 to 64 characters.")
    return id_condition(id_type, value)


def _top_level_communes(items: list[dict]) -> list[str] | None:
    """The communes every result must be in (a commune_code eq/in that is a
    predicate item of its own), to limit a name search to their keys."""
    communes: set[str] | None = None
    for item in items:
        expression = item.get("expression1")
        if item.get("condition") or not isinstance(expression, dict):
            continue
        if expression.get("attribute_name") != "commune_code":
            continue
        operator = expression.get("operator")
        values = _values(expression.get("attribute_value")) if operator == "in" else None
        if operator == "eq":
            values = [expression.get("attribute_value")]
        if not values or not all(isinstance(v, str) for v in values):
            continue
        communes = set(values) if communes is None else communes & set(values)
    return sorted(communes) if communes is not None else None


def id_condition(id_type: str, value: str) -> ColumnElement[bool]:
    if id_type == "SPID":
        return Person.spid == normalise_spid(to_ascii_digits(value))
    if id_type == "NIN":
        return Person.nin == to_ascii_digits(value).strip().upper()
    if id_type == "MOBILE":
        e164 = to_e164(value)
        if e164 is None:
            raise invalid("MOBILE is not a valid phone number.")
        return Person.id.in_(select(PersonPhone.person_id).where(PersonPhone.e164 == e164))
    return Person.id.in_(
        select(HouseholdMember.person_id).where(HouseholdMember.household_id == value)
    )


_PREDICATE_KEYS = {"seq_num", "expression1", "condition", "expression2"}


def _predicate(item: dict, names: NameTerms) -> ColumnElement[bool]:
    unknown = sorted(key[:20] for key in set(item) - _PREDICATE_KEYS)
    if unknown:
        # e.g. the official examples' expression3: silently ignoring it would
        # widen the search.
        raise invalid(
            f"Not part of a predicate item: {', '.join(unknown)}; give each its own item."
        )
    first = _expression(item.get("expression1"), names)
    condition, second = item.get("condition") or None, item.get("expression2") or None
    if (condition is None) != (second is None):
        raise invalid("condition and expression2 go together.")
    if condition is None:
        return first
    if condition not in ("and", "or", "not"):
        raise invalid("condition is and, or or not.")
    other = _expression(second, names)
    return {"and": and_, "or": or_}.get(condition, lambda a, b: and_(a, not_(b)))(first, other)


def _expression(expression: Any, names: NameTerms) -> ColumnElement[bool]:
    if not isinstance(expression, dict):
        raise invalid("An expression is {attribute_name, operator, attribute_value}.")
    name, operator = expression.get("attribute_name"), expression.get("operator")
    return attribute_condition(name, operator, expression.get("attribute_value"), names)


def attribute_condition(
    name: Any, operator: Any, raw: Any, names: NameTerms
) -> ColumnElement[bool]:
    """One comparison of an attribute of persons with a value."""
    if not isinstance(name, str) or name not in ATTRIBUTES:
        shown = name[:40] if isinstance(name, str) else name
        raise invalid(f"This registry cannot search by {shown!r}: {', '.join(ATTRIBUTES)}.")
    if operator not in OPERATORS:
        raise invalid(f"operator is one of {', '.join(OPERATORS)}.")
    name = ALIASES.get(name, name)
    if name == "name":
        try:
            return names.condition(operator, raw)
        except ValueError as problem:
            raise invalid(str(problem)) from None
    if name == "name_km":
        return _khmer_name(operator, raw)
    if name == "age":
        return _age(operator, raw)
    if name in _IDENTIFIERS:
        # The identifiers of idtype-value, combinable with other expressions
        # (e.g. a national ID within some communes).
        if operator != "eq" or not isinstance(raw, str):
            raise invalid(f"{name} supports eq with a single value.")
        return id_condition(_IDENTIFIERS[name], raw)
    column = COLUMNS[name]
    if operator == "in":
        return column.in_([_value(name, v) for v in _in_values(name, raw)])
    if name == "registration_date":
        return _registration_date(operator, _value(name, raw))
    if name == "sex" and operator != "eq":
        raise invalid("sex supports eq and in.")
    return _COMPARISONS[operator](column, _value(name, raw))


def _values(raw: Any) -> list | None:
    """The values of ``in``: a list (our extension), or a comma-separated text
    (the official attribute_value cannot be a list)."""
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return None


def _in_values(name: str, raw: Any) -> list:
    values = _values(raw)
    if not values or len(values) > MAX_IN_VALUES:
        raise invalid(f"{name} in needs 1 to {MAX_IN_VALUES} values (a list or a,b,c).")
    return values


def _text(name: str, raw: Any) -> str:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or len(raw) > MAX_VALUE_LENGTH:
        raise invalid(f"{name} needs a single text value.")
    return raw


def _value(name: str, raw: Any) -> Any:
    text = _text(name, raw)
    if name in ("birth_date", "registration_date"):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise invalid(f"{name} needs a date (YYYY-MM-DD).") from None
    if name == "sex":
        sex = _SEXES.get(text.strip().lower())
        if sex is None:
            raise invalid("sex is male, female or other (m, f).")
        return sex
    return text


def _age(operator: str, raw: Any) -> ColumnElement[bool]:
    """Age in whole years today, as a range of birth dates."""
    if operator == "in":
        return or_(*(_age("eq", value) for value in _in_values("age", raw)))
    try:
        years = int(float(_text("age", raw)))
    except (ValueError, OverflowError):
        raise invalid("age needs a whole number of years.") from None
    if not 0 <= years <= 150:
        raise invalid("age is between 0 and 150.")
    today = date.today()
    born_by = _years_before(today, years)  # aged `years` or more
    born_after = _years_before(today, years + 1)  # aged at most `years`
    column = Person.birth_date
    return {
        "eq": and_(column > born_after, column <= born_by),
        "lt": column > born_by,
        "le": column > born_after,
        "gt": column <= born_after,
        "ge": column <= born_by,
    }[operator]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _khmer_name(operator: str, raw: Any) -> ColumnElement[bool]:
    """Persons whose Khmer name ("surname given_name") reads the same as ``raw``.

    The de-duplication key starts with the name's comparison key and ``|``, so
    this is a prefix match on its index. LIKE says what matches; the range
    says the same in byte order, for SQLite, whose case-blind LIKE cannot use
    the index (PostgreSQL derives that range from the LIKE itself)."""
    if operator != "eq":
        raise invalid("name_km supports eq only.")
    key = comparison_key(_text("name_km", raw))
    if not key:
        raise invalid("name_km needs a name: surname, a space, the given name.")
    prefix = f"{key}{DEDUP_KEY_SEPARATOR}"
    pattern = _LIKE_SPECIAL.sub(r"\\\g<0>", prefix) + "%"
    after = f"{key}{chr(ord(DEDUP_KEY_SEPARATOR) + 1)}"
    column = Person.dedup_key
    return and_(column.like(pattern, escape="\\"), column >= prefix, column < after)


def _registration_date(operator: str, day: date) -> ColumnElement[bool]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    end = start + timedelta(days=1)
    column = Person.registration_date
    return {
        "eq": and_(column >= start, column < end),
        "gt": column >= end,
        "ge": column >= start,
        "lt": column < start,
        "le": column < end,
    }[operator]
