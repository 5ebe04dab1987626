"""DCI predicate ``name``: what an officer types, in Khmer script or Latin letters,
found through the person_name_keys index (see portal/registry/server/name_search.py).

The database is shared by the tests of a worker, so each test gives its people a
birth date no other test uses and searches with it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from portal.registry.client import RegistryValidationError, predicate
from portal.registry.server.models import Person
from portal.registry.server.name_search import NameTerms, latin_key, query_words
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import OTHER_VILLAGE, VILLAGE, person_content, unique_birth_date

COMMUNE = VILLAGE[:6]
OTHER_COMMUNE = OTHER_VILLAGE[:6]


def named(registry, actor, km: tuple[str, str], latin: tuple[str, str], born: str, **extra):
    content = person_content(
        name_km={"surname": km[0], "given_name": km[1]},
        name={"surname": latin[0], "given_name": latin[1]},
        birth_date=born,
        **extra,
    )
    return registry.persons.create(content, actor=actor)


def found(registry, actor, text: str, born: str, *extra: dict) -> list[str]:
    """The SPIDs found by name (in the order given) among people born that day."""
    expressions = [*extra, predicate("name", "eq", text), predicate("birth_date", "eq", born)]
    result = registry.search.by_predicate(expressions, actor=actor, page_size=100)
    return [record["spid"] for record in result.records]


def test_a_khmer_name_is_found_however_it_was_typed(registry, actor):
    born = unique_birth_date()
    chenda = named(registry, actor, ("កែវ", "ចិន្តា"), ("Keo", "Chenda"), born)
    named(registry, actor, ("កែវ", "សុភា"), ("Keo", "Sophea"), born)
    spid = [chenda["spid"]]
    assert found(registry, actor, "ចិន្តា", born) == spid
    assert found(registry, actor, "ចិន្ដា", born) == spid  # coeng DA for coeng TA
    assert found(registry, actor, "ចិ\u200bន្ដា", born) == spid  # and a zero-width space
    assert found(registry, actor, "កែវ ចិន្ដា", born) == spid
    assert found(registry, actor, "ចិន្តា កែវ", born) == spid  # either order
    assert found(registry, actor, "កែវចិន្ដា", born) == spid  # whole, without spaces
    assert found(registry, actor, "ចិន", born) == spid  # the beginning of a word
    assert found(registry, actor, "ចិន្តា ១៩៨៥", born) == spid  # digits are no part of a name
    assert found(registry, actor, "ចិន្តា សុភា", born) == []  # every word must match


def test_latin_spellings_meet_loosely(registry, actor):
    born = unique_birth_date()
    sokha = named(registry, actor, ("ចាន់", "សុខា"), ("Chan", "Sokha"), born)
    chanthou = named(registry, actor, ("ហេង", "ចន្ធូ"), ("Heng", "Chanthou"), born)
    srey = named(registry, actor, ("លី", "ស្រី"), ("Ly", "Srey"), born)
    for typed, spid in (
        ("Sokhar", sokha["spid"]),
        ("sokha", sokha["spid"]),
        ("SÓKHA chan", sokha["spid"]),
        ("ChanSokha", sokha["spid"]),
        ("chansokhar", sokha["spid"]),
        ("Chanthu", chanthou["spid"]),
        ("Chanth", chanthou["spid"]),
        ("Srei", srey["spid"]),
        ("Ly Srei", srey["spid"]),
    ):
        assert found(registry, actor, typed, born) == [spid], typed
    assert found(registry, actor, "Sokhar Heng", born) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [("Sokha", "Sokhar"), ("Chanthou", "Chanthu"), ("Srey", "Srei"), ("Phalla", "Pala")],
)
def test_the_loose_latin_key_makes_usual_romanisations_equal(one, other):
    assert latin_key(one) == latin_key(other)


def test_the_loose_latin_key_keeps_different_names_apart():
    keys = {latin_key(name) for name in ("Sokha", "Sophea", "Dara", "Dary", "Sar", "Sok", "Chenda")}
    assert len(keys) == 7


def test_a_commune_limits_the_search(registry, actor):
    born = unique_birth_date()
    here = named(registry, actor, ("យឹម", "វណ្ណា"), ("Yim", "Vanna"), born)
    there = named(
        registry,
        actor,
        ("យឹម", "វណ្ណា"),
        ("Yim", "Vanna"),
        born,
        address={"village_code": OTHER_VILLAGE},
    )
    commune = predicate("commune_code", "eq", COMMUNE)
    assert found(registry, actor, "Yim Vanna", born, commune) == [here["spid"]]
    assert found(registry, actor, "វណ្ណា", born, commune) == [here["spid"]]
    both = predicate("commune_code", "in", [COMMUNE, OTHER_COMMUNE])
    assert set(found(registry, actor, "Vanna", born, both)) == {here["spid"], there["spid"]}
    elsewhere = predicate("commune_code", "eq", "020101")
    assert found(registry, actor, "Vanna", born, elsewhere) == []


def test_whole_words_come_before_beginnings(registry, actor):
    born = unique_birth_date()
    first = named(registry, actor, ("ពេជ្រ", "ដារ៉ា"), ("Pech", "Darareth"), born)
    second = named(registry, actor, ("ពេជ្រ", "ដារ៉ា"), ("Pech", "Darareth"), born)
    # The exact "Dara" goes to the later SPID, so SPID order alone would put it last.
    exact, prefix = sorted((first, second), key=lambda p: p["spid"], reverse=True)
    dara = {"name": {"surname": "Pech", "given_name": "Dara"}}
    registry.persons.update(exact["id"], dara, actor=actor)
    assert found(registry, actor, "Dara", born) == [exact["spid"], prefix["spid"]]
    # A sort given by the caller wins over the ranking.
    sorted_by_spid = registry.search.by_predicate(
        [predicate("name", "eq", "Dara"), predicate("birth_date", "eq", born)],
        actor=actor,
        sort=[("spid", "asc")],
    )
    assert [r["spid"] for r in sorted_by_spid.records] == [prefix["spid"], exact["spid"]]


def test_a_new_name_or_commune_replaces_the_old_keys(registry, actor):
    born = unique_birth_date()
    person = named(registry, actor, ("នួន", "បុប្ផា"), ("Nuon", "Bopha"), born)
    new_names = {
        "name_km": {"surname": "នួន", "given_name": "ស្រីពៅ"},
        "name": {"surname": "Nuon", "given_name": "Sreypov"},
    }
    registry.persons.update(person["id"], new_names, actor=actor)
    assert found(registry, actor, "Bopha", born) == []
    assert found(registry, actor, "បុប្ផា", born) == []
    assert found(registry, actor, "Sreypov", born) == [person["spid"]]
    assert found(registry, actor, "ស្រីពៅ", born) == [person["spid"]]
    registry.persons.update(person["id"], {"address": {"village_code": OTHER_VILLAGE}}, actor=actor)
    here = predicate("commune_code", "eq", COMMUNE)
    there = predicate("commune_code", "eq", OTHER_COMMUNE)
    assert found(registry, actor, "Sreypov", born, here) == []
    assert found(registry, actor, "Sreypov", born, there) == [person["spid"]]
    # A change of something else keeps the keys.
    registry.persons.update(person["id"], {"marital_status": "widowed"}, actor=actor)
    assert found(registry, actor, "Sreypov", born, there) == [person["spid"]]


@pytest.mark.parametrize(
    ("operator", "value"),
    [
        ("eq", "ab"),
        ("eq", "ក ខ"),
        ("eq", "Sr."),  # two letters and a dot
        ("eq", "១២៣៤"),  # digits are not letters
        ("eq", " - "),
        ("eq", "Sok Kha Dara Vanna Bopha Srey Mom"),  # more than 6 words
        ("eq", "Sokha" * 21),  # more than 100 characters
        ("ge", "Sokha"),
        ("in", ["Sokha"]),
    ],
)
def test_names_too_short_or_too_long_are_refused(registry, actor, operator, value):
    with pytest.raises(RegistryValidationError) as caught:
        registry.search.by_predicate([predicate("name", operator, value)], actor=actor)
    assert caught.value.code == "rjct.search_criteria.invalid"


def test_a_refused_name_rejects_only_its_own_item(http, credentials):
    token = token_for(http, credentials)

    def item(reference: str, value: str) -> dict:
        query = [{"seq_num": 1, "expression1": predicate("name", "eq", value)}]
        criteria = {
            "reg_type": "ns:org:RegistryType:Social",
            "query_type": "predicate",
            "query": query,
        }
        return {
            "reference_id": reference,
            "timestamp": "2026-01-05T08:00:00Z",
            "search_criteria": criteria,
        }

    body = {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": "2026-01-05T08:00:00Z",
            "action": "search",
            "sender_id": "test-portal",
            "total_count": 2,
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [item("short", "So"), item("long enough", "Sokha")],
        },
    }
    response = http.post("/registry/sync/search", json=body, headers=actor_headers(token))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["header"]["status"] == "succ"
    items = {i["reference_id"]: i for i in answer["message"]["search_response"]}
    assert items["short"]["status"] == "rjct"
    assert items["short"]["status_reason_code"] == "rjct.search_criteria.invalid"
    assert items["long enough"]["status"] == "succ"


def test_query_words_are_keys_of_letters_only():
    assert query_words("  Sokhar   ChAN ") == ["soka", "can"]
    assert query_words("ចិ\u200bន្ដា, Chenda!") == ["ចិន្តា", "cenda"]
    assert query_words("Sok sok SOK") == ["sok"]


def test_the_name_search_reads_the_commune_key_index_alone(registry_app):
    """Prefix ranges on (commune_code, key, person_id), for the match and the
    ranking: the database reads neither the table nor a word's keys in every
    commune. SQLite's plan is fixed; PostgreSQL's depends on its statistics
    (bench/registry_bench.py times it at scale), so there the test checks what
    the plan rests on: the covering index, and a finer histogram of the keys."""
    engine = registry_app.extensions["registry.engine"]
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            definition = connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": "ix_person_name_keys_commune_code_key"},
            ).scalar_one()
            target = connection.execute(
                text(
                    "SELECT attstattarget FROM pg_attribute"
                    " WHERE attrelid = 'person_name_keys'::regclass AND attname = 'key'"
                )
            ).scalar_one()
        assert definition.endswith("(commune_code, key, person_id)"), definition
        assert target == 1000
        return
    names = NameTerms([COMMUNE, OTHER_COMMUNE])
    query = (
        select(Person.id)
        .where(names.condition("eq", "Chenda Ke"))
        .order_by(names.relevance().desc(), Person.spid)
    )
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    plan = [row[-1] for row in rows]
    keys = [line for line in plan if "person_name_keys" in line]
    assert len(keys) == 5, plan  # 2 words x 2 communes, and the ranking
    index = "USING COVERING INDEX ix_person_name_keys_commune_code_key (commune_code=? AND key"
    assert all(index in line for line in keys), plan


def test_a_ranked_search_counts_every_match_across_pages(registry, actor):
    born = unique_birth_date()
    spids = {
        named(registry, actor, ("ឯក", "វណ្ណា"), ("Aek", "Vanna"), born)["spid"] for _ in range(3)
    }
    expressions = [predicate("name", "eq", "Aek Vanna"), predicate("birth_date", "eq", born)]
    pages = [
        registry.search.by_predicate(expressions, actor=actor, page=number, page_size=2)
        for number in (1, 2, 3)
    ]
    assert [p.total_count for p in pages] == [3, 3, 3]
    assert [len(p.records) for p in pages] == [2, 1, 0]
    assert {r["spid"] for p in pages for r in p.records} == spids
    assert [r["spid"] for p in pages for r in p.records] == sorted(spids)  # equals: by SPID
