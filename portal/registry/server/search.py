"""DCI Social Registry synchronous search (``POST /registry/sync/search``).

Members are persons, Groups are households. Query types: ``idtype-value``
(SPID, NIN, MOBILE, HOUSEHOLD_ID) and ``predicate`` (its ``name``: see
``name_search``). A problem with one search item rejects that item with a
``rjct.*`` reason; a repeated message id rejects the whole message
(``rjct.message_id.duplicate``). Records are full only for a caller that may
read them (see ``dci_records``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.khmer import comparison_key, to_ascii_digits
from portal.registry.server.audit import Actor, log_access, now
from portal.registry.server.dci_records import (
    full_group,
    full_member,
    search_only_group,
    search_only_member,
)
from portal.registry.server.households import HouseholdKind
from portal.registry.server.kinds import iso
from portal.registry.server.models import (
    DciMessage,
    Household,
    HouseholdMember,
    Person,
    PersonPhone,
)
from portal.registry.server.name_search import NameTerms
from portal.registry.server.persons import DEDUP_KEY_SEPARATOR, PersonKind
from portal.registry.server.phones import to_e164
from portal.registry.server.spid import normalise_spid

REG_TYPE = "ns:org:RegistryType:Social"
MAX_PAGE_SIZE = 100
_PERSONS = PersonKind()
_HOUSEHOLDS = HouseholdKind()

_COLUMNS = {
    "birth_date": Person.birth_date,
    "sex": Person.sex,
    "province_code": Person.province_code,
    "district_code": Person.district_code,
    "commune_code": Person.commune_code,
    "village_code": Person.village_code,
    "registration_date": Person.registration_date,
    "spid": Person.spid,
}
_IDENTIFIERS = {"nin": "NIN", "phone": "MOBILE", "household_id": "HOUSEHOLD_ID"}
_COMPARISONS = {
    "eq": lambda c, v: c == v,
    "gt": lambda c, v: c > v,
    "lt": lambda c, v: c < v,
    "ge": lambda c, v: c >= v,
    "le": lambda c, v: c <= v,
}


_LIKE_SPECIAL = re.compile(r"[\\%_]")

Shape = Callable[[dict], dict]


class Rejected(Exception):
    """A search item that cannot be answered: DCI reason code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _invalid(message: str) -> Rejected:
    return Rejected("rjct.search_criteria.invalid", message)


def sync_search(
    session: Session, body: dict, actor: Actor, registry_id: str, *, full_records: bool
) -> dict:
    """The DCI answer; ``full_records`` only for callers that may read records."""
    shapes = (full_member, full_group) if full_records else (search_only_member, search_only_group)
    header = body["header"]
    items = body["message"]["search_request"]
    if _is_repeated(session, header):
        reason = "This message_id was already received from this sender."
        return _envelope(header, body, [], "rjct", "rjct.message_id.duplicate", reason, registry_id)
    if header["total_count"] != len(items):
        reason = "total_count must equal the number of search requests."
        return _envelope(header, body, [], "rjct", "rjct.total_count.invalid", reason, registry_id)
    answers = [_answer(session, item, actor, *shapes) for item in items]
    session.commit()
    # The message was processed: each item carries its own succ/rjct status.
    return _envelope(header, body, answers, "succ", None, registry_id=registry_id)


def _is_repeated(session: Session, header: dict) -> bool:
    session.add(
        DciMessage(
            sender_id=header["sender_id"], message_id=header["message_id"], received_at=now()
        )
    )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return True
    return False


def _envelope(
    header: dict,
    body: dict,
    answers: list[dict],
    status: str,
    reason_code: str | None,
    reason: str | None = None,
    registry_id: str = "",
) -> dict:
    return {
        "signature": None,
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": iso(now()),
            "action": "on-search",
            "status": status,
            "status_reason_code": reason_code,
            "status_reason_message": reason or reason_code,
            "total_count": len(body["message"]["search_request"]),
            "completed_count": sum(1 for a in answers if a["status"] == "succ"),
            "sender_id": registry_id,
            "receiver_id": header["sender_id"],
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": body["message"]["transaction_id"],
            "correlation_id": str(uuid.uuid4()),
            "search_response": answers,
        },
    }


def _answer(
    session: Session, item: dict, actor: Actor, member_shape: Shape, group_shape: Shape
) -> dict:
    criteria = item["search_criteria"]
    answer: dict[str, Any] = {
        "reference_id": item["reference_id"],
        "timestamp": iso(now()),
        "locale": item.get("locale", "en"),
    }
    try:
        page_size, page_number = _pagination(criteria)
        condition, names = _condition(criteria["query_type"], criteria["query"])
        if criteria.get("response_entity", "Member") == "Group":
            total, households, person_ids = _groups(session, condition, page_size, page_number)
            records = [group_shape(household) for household in households]
            record_type = "Group"
        else:
            order = _order(criteria.get("sort", []), names)
            page = (page_size, page_number)
            total, people, person_ids = _members(session, condition, order, page, names.words)
            records = [member_shape(person) for person in people]
            record_type = "Person"
    except Rejected as rejected:
        return {
            **answer,
            "status": "rjct",
            "status_reason_code": rejected.code,
            "status_reason_message": str(rejected),
        }
    log_access(session, person_ids, "search", actor)
    return {
        **answer,
        "status": "succ",
        "status_reason_code": None,
        "status_reason_message": None,
        "data": {"reg_type": REG_TYPE, "reg_record_type": record_type, "reg_records": records},
        "pagination": {"page_size": page_size, "page_number": page_number, "total_count": total},
    }


def _pagination(criteria: dict) -> tuple[int, int]:
    pagination = criteria.get("pagination") or {"page_size": 20, "page_number": 1}
    size, number = pagination["page_size"], pagination["page_number"]
    if not 1 <= size <= MAX_PAGE_SIZE or number < 1:
        raise Rejected("rjct.pagination.invalid", f"page_size 1-{MAX_PAGE_SIZE}, page_number ≥ 1.")
    return size, number


def _condition(query_type: str, query: Any) -> tuple[ColumnElement[bool], NameTerms]:
    """The search's condition, and the name words in it (for ranking)."""
    if query_type == "idtype-value":
        if not isinstance(query, dict):
            raise _invalid("idtype-value needs {type, value}.")
        return _id_condition(query["type"], query["value"]), NameTerms(None)
    if not isinstance(query, list):
        raise _invalid("predicate needs a list of expressions.")
    items = sorted(query, key=lambda p: p.get("seq_num", 0))
    names = NameTerms(_top_level_communes(items))
    return and_(*(_predicate(p, names) for p in items)), names


def _top_level_communes(items: list[dict]) -> list[str] | None:
    """The communes every result must be in (a commune_code eq/in that is a
    predicate item of its own), to limit a name search to their keys."""
    communes: set[str] | None = None
    for item in items:
        expression = item["expression1"]
        if item.get("condition") is not None or expression["attribute_name"] != "commune_code":
            continue
        raw, operator = expression["attribute_value"], expression["operator"]
        values = raw if operator == "in" and isinstance(raw, list) else [raw]
        if operator not in ("eq", "in") or not all(isinstance(v, str) for v in values):
            continue
        communes = set(values) if communes is None else communes & set(values)
    return sorted(communes) if communes is not None else None


def _id_condition(id_type: str, value: str) -> ColumnElement[bool]:
    if id_type == "SPID":
        return Person.spid == normalise_spid(to_ascii_digits(value))
    if id_type == "NIN":
        return Person.nin == to_ascii_digits(value).strip().upper()
    if id_type == "MOBILE":
        e164 = to_e164(value)
        if e164 is None:
            raise _invalid("MOBILE is not a valid phone number.")
        return Person.id.in_(select(PersonPhone.person_id).where(PersonPhone.e164 == e164))
    return Person.id.in_(
        select(HouseholdMember.person_id).where(HouseholdMember.household_id == value)
    )


def _predicate(item: dict, names: NameTerms) -> ColumnElement[bool]:
    first = _expression(item["expression1"], names)
    condition, second = item.get("condition"), item.get("expression2")
    if (condition is None) != (second is None):
        raise _invalid("condition and expression2 go together.")
    if condition is None:
        return first
    other = _expression(second, names)
    return {"and": and_, "or": or_}.get(condition, lambda a, b: and_(a, not_(b)))(first, other)


def _expression(expression: dict, names: NameTerms) -> ColumnElement[bool]:
    name, operator = expression["attribute_name"], expression["operator"]
    raw = expression["attribute_value"]
    if name == "name":
        try:
            return names.condition(operator, raw)
        except ValueError as problem:
            raise _invalid(str(problem)) from None
    if name == "name_km":
        return _khmer_name(operator, raw)
    if name in _IDENTIFIERS:
        # The identifiers of idtype-value, combinable with other expressions
        # (e.g. a national ID within some communes).
        if operator != "eq" or not isinstance(raw, str):
            raise _invalid(f"{name} supports eq with a single value.")
        return _id_condition(_IDENTIFIERS[name], raw)
    column = _COLUMNS[name]
    if operator == "in":
        if not isinstance(raw, list):
            raise _invalid(f"{name} in needs a list.")
        return column.in_([_value(name, v) for v in raw])
    if isinstance(raw, list):
        raise _invalid(f"{name} {operator} needs a single value.")
    if name == "registration_date":
        return _registration_date(operator, _value(name, raw))
    if name == "sex" and operator != "eq":
        raise _invalid("sex supports eq and in.")
    return _COMPARISONS[operator](column, _value(name, raw))


def _khmer_name(operator: str, raw: Any) -> ColumnElement[bool]:
    """Persons whose Khmer name ("surname given_name") reads the same as ``raw``.

    The de-duplication key starts with the name's comparison key and ``|``, so
    this is a prefix match on its index. LIKE says what matches; the range
    says the same in byte order, for SQLite, whose case-blind LIKE cannot use
    the index (PostgreSQL derives that range from the LIKE itself)."""
    if operator != "eq":
        raise _invalid("name_km supports eq only.")
    if not isinstance(raw, str):
        raise _invalid("name_km eq needs a single value.")
    key = comparison_key(raw)
    if not key:
        raise _invalid("name_km needs a name: surname, a space, the given name.")
    prefix = f"{key}{DEDUP_KEY_SEPARATOR}"
    pattern = _LIKE_SPECIAL.sub(r"\\\g<0>", prefix) + "%"
    after = f"{key}{chr(ord(DEDUP_KEY_SEPARATOR) + 1)}"
    column = Person.dedup_key
    return and_(column.like(pattern, escape="\\"), column >= prefix, column < after)


def _value(name: str, raw: str) -> Any:
    if name in ("birth_date", "registration_date"):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise _invalid(f"{name} needs a date (YYYY-MM-DD).") from None
    return raw


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


def _order(sort: list[dict], names: NameTerms) -> list:
    if not sort and names.words:
        return [names.relevance().desc(), Person.spid]
    order = []
    for key in sort:
        column = _COLUMNS[key["attribute_name"]]
        order.append(column.desc() if key["sort_order"] == "desc" else column.asc())
    return [*order, Person.spid]


def _members(
    session: Session, condition, order: list, page: tuple[int, int], ranked: list[str]
) -> tuple[int, list[dict], list[str]]:
    """One page of persons and how many there are. A ranked search (by name)
    orders every match anyway: it counts them in the same query."""
    page_size, page_number = page
    counted = func.count().over().label("total")
    query = (
        select(Person, *([counted] if ranked else []))
        .where(condition)
        .order_by(*order)
        .offset((page_number - 1) * page_size)
        .limit(page_size)
    )
    rows = session.execute(query).all()
    people = [row[0] for row in rows]
    if ranked and rows:
        total = rows[0].total
    else:
        total = _total(session, Person, condition, len(people), page_size, page_number)
    records = _PERSONS.present_many(session, people)
    return total, records, [p.id for p in people]


def _total(session: Session, model, condition, found: int, page_size: int, page_number: int) -> int:
    """Count only when the page does not already tell (most id searches find 0 or 1)."""
    if page_number == 1 and found < page_size:
        return found
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0


def _groups(
    session: Session, condition, page_size: int, page_number: int
) -> tuple[int, list[dict], list[str]]:
    matching = (
        select(HouseholdMember.household_id)
        .join(Person, Person.id == HouseholdMember.person_id)
        .where(condition)
    )
    where = Household.id.in_(matching)
    households = session.scalars(
        select(Household)
        .where(where)
        .order_by(Household.created_at, Household.id)
        .offset((page_number - 1) * page_size)
        .limit(page_size)
    ).all()
    total = _total(session, Household, where, len(households), page_size, page_number)
    records = [_HOUSEHOLDS.present(session, h) for h in households]
    member_ids = session.scalars(
        select(HouseholdMember.person_id).where(
            HouseholdMember.household_id.in_([h.id for h in households])
        )
    ).all()
    return total, records, list(member_ids)
