"""One page of what a DCI search found: persons (Member) or households (Group).

Records are full only for a caller that may read them (see ``dci_records``).
A Group's ``member_list`` holds Member objects, as the official examples do;
full ones carry each member's record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.registry.server.dci_records import (
    full_group,
    full_member,
    search_only_group,
    search_only_member,
)
from portal.registry.server.households import HouseholdKind
from portal.registry.server.models import Household, HouseholdMember, Person
from portal.registry.server.name_search import NameTerms
from portal.registry.server.persons import PersonKind
from portal.registry.server.search_conditions import COLUMNS, Rejected

SORTABLE = tuple(COLUMNS)
MAX_SORT_KEYS = 3
_PERSONS = PersonKind()
_HOUSEHOLDS = HouseholdKind()


@dataclass(frozen=True)
class Found:
    """A page of records, how many there are in all, and the persons read."""

    record_type: str
    records: list[dict]
    total: int
    person_ids: list[str]


def ordering(sort: object, names: NameTerms) -> list:
    """The ORDER BY of a member search (rjct.sort.invalid for what cannot sort)."""
    sort = [] if sort is None else sort
    if sort == [] and names.words:
        return [names.relevance().desc(), Person.spid]
    if not isinstance(sort, list) or len(sort) > MAX_SORT_KEYS:
        raise Rejected("rjct.sort.invalid", f"sort is a list of at most {MAX_SORT_KEYS} keys.")
    order = []
    for key in sort:
        name = key.get("attribute_name") if isinstance(key, dict) else None
        direction = key.get("sort_order", "asc") if isinstance(key, dict) else None
        if name not in SORTABLE:
            shown = name[:40] if isinstance(name, str) else name
            raise Rejected(
                "rjct.sort.invalid",
                f"This registry cannot sort by {shown!r}: {', '.join(SORTABLE)}.",
            )
        if direction not in ("asc", "desc"):
            raise Rejected("rjct.sort.invalid", "sort_order is asc or desc.")
        column = COLUMNS[name]
        order.append(column.desc() if direction == "desc" else column.asc())
    return [*order, Person.spid]


def members(
    session: Session, condition, order: list, page: tuple[int, int], ranked: bool, full: bool
) -> Found:
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
    shape: Callable[[dict], dict] = full_member if full else search_only_member
    records = [shape(person) for person in _PERSONS.present_many(session, people)]
    return Found("Person", records, total, [p.id for p in people])


def groups(session: Session, condition, page: tuple[int, int], full: bool) -> Found:
    """One page of the households of the persons that match."""
    page_size, page_number = page
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
    presented = [_HOUSEHOLDS.present(session, h) for h in households]
    member_ids = list(
        session.scalars(
            select(HouseholdMember.person_id).where(
                HouseholdMember.household_id.in_([h.id for h in households])
            )
        ).all()
    )
    if full:
        people = session.scalars(select(Person).where(Person.id.in_(member_ids))).all()
        by_spid = {p["spid"]: full_member(p) for p in _PERSONS.present_many(session, list(people))}
        records = [full_group(household, by_spid) for household in presented]
    else:
        records = [search_only_group(household) for household in presented]
    return Found("Group", records, total, member_ids)


def _total(session: Session, model, condition, found: int, page_size: int, page_number: int) -> int:
    """Count only when the page does not already tell (most id searches find 0 or 1)."""
    if page_number == 1 and found < page_size:
        return found
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0
