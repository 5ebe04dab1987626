"""DCI predicate ``name_km``: people whose Khmer name reads the same, found through
the de-duplication key's index."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal.registry.client import RegistryValidationError, predicate
from portal.registry.server.models import Person
from portal.registry.server.search_conditions import _khmer_name
from tests.registry.factories import OTHER_VILLAGE, VILLAGE, person_content, unique_birth_date


def named(registry, actor, surname: str, given_name: str, born: str, village: str = VILLAGE):
    content = person_content(
        name_km={"surname": surname, "given_name": given_name},
        birth_date=born,
        address={"village_code": village},
    )
    return registry.persons.create(content, actor=actor)


def spids_named(registry, actor, name: str, born: str, *extra: dict) -> set[str]:
    expressions = [predicate("name_km", "eq", name), predicate("birth_date", "eq", born), *extra]
    found = registry.search.by_predicate(expressions, actor=actor, page_size=100)
    return {record["spid"] for record in found.records}


def test_spellings_that_read_the_same_find_each_other(registry, actor):
    born = unique_birth_date()
    # Coeng DA and coeng TA, and a zero-width space: the same name to a reader.
    first = named(registry, actor, "កែវ", "ចន្ដា", born)
    second = named(registry, actor, "កែវ", "ចន្\u200bតា", born, OTHER_VILLAGE)
    named(registry, actor, "កែវ", "ចន្ធូ", born)  # another name
    named(registry, actor, "សុខ", "ចន្តា", born)  # another surname
    both = {first["spid"], second["spid"]}
    assert spids_named(registry, actor, "កែវ ចន្តា", born) == both
    assert spids_named(registry, actor, "  កែវ   ចន្ដា ", born) == both


def test_name_birth_date_and_village_find_a_possible_duplicate(registry, actor):
    born = unique_birth_date()
    here = named(registry, actor, "ហេង", "វណ្ណា", born)
    named(registry, actor, "ហេង", "វណ្ណា", born, OTHER_VILLAGE)
    village = predicate("village_code", "eq", VILLAGE)
    assert spids_named(registry, actor, "ហេង វណ្ណា", born, village) == {here["spid"]}


def test_like_wildcards_in_the_name_match_only_themselves(registry, actor):
    born = unique_birth_date()
    named(registry, actor, "លី", "សុភា", born)
    for pattern in ("%", "លី %", "លី _ុភា", "លី\\ សុភា"):
        assert spids_named(registry, actor, pattern, born) == set(), pattern


@pytest.mark.parametrize(
    ("operator", "value"),
    [("ge", "កែវ ចន្តា"), ("in", ["កែវ ចន្តា"]), ("eq", "   ")],
)
def test_name_km_takes_one_name_with_eq_only(registry, actor, operator, value):
    with pytest.raises(RegistryValidationError) as caught:
        registry.search.by_predicate([predicate("name_km", operator, value)], actor=actor)
    assert caught.value.code == "rjct.search_criteria.invalid"


def test_the_search_by_name_uses_the_index(registry_app):
    """A prefix match on the key: SQLite and PostgreSQL search the index, not the table."""
    engine = registry_app.extensions["registry.engine"]
    query = select(Person.id).where(_khmer_name("eq", "កែវ ចន្តា"))
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # Force the choice the planner makes on a large table.
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            plan = connection.execute(text(f"EXPLAIN {compiled}")).scalars().all()
        else:
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            plan = [row[-1] for row in rows]
    assert any("ix_persons_dedup_key" in line for line in plan), plan
