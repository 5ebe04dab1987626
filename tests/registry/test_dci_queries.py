"""DCI search by each query type, as a client built from the official
specification sends it: idtype-value, predicate and expression (a predicate
list, or the NoSql template), including where the official schema contradicts
itself."""

from __future__ import annotations

from datetime import date

import pytest

from tests.registry.dci_conformance_support import (
    born,
    predicate,
    request,
    send,
    spids,
)
from tests.registry.dci_official import validator

pytestmark = pytest.mark.usefixtures("dci_standards")


def test_idtype_value_searches_find_by_each_identifier(dci_http, dci_operator, dci_family):
    mother, son = dci_family["mother"], dci_family["son"]
    nin = mother["identifier"][0]["identifier_value"]
    body = request(
        {"query_type": "idtype-value", "query": {"type": "SPID", "value": mother["spid"]}},
        {"query_type": "idtype-value", "query": {"type": "NIN", "value": nin}},
        {
            "query_type": "idtype-value",
            "query": {"type": "MOBILE", "value": son["phone_number"][0]},
        },
        {
            "query_type": "idtype-value",
            "query": {"type": "HOUSEHOLD_ID", "value": dci_family["household"]["id"]},
            "pagination": {"page_size": 10},
        },
        {
            "query_type": "idtype-value",
            "query": {"type": "HOUSEHOLD_ID", "value": dci_family["household"]["id"]},
            "response_entity": "Group",
        },
    )
    answer = send(dci_http, dci_operator, body)
    items = answer["message"]["search_response"]
    assert spids(items[0]) == spids(items[1]) == {mother["spid"]}
    assert spids(items[2]) == {son["spid"]}
    assert spids(items[3]) == {mother["spid"], son["spid"]}
    assert items[3]["pagination"] == {"page_size": 10, "page_number": 1, "total_count": 2}
    (group,) = items[4]["data"]["reg_records"]
    assert items[4]["data"]["reg_record_type"] == "Group"
    members = {m["member_identifier"][0]["identifier_value"]: m for m in group["member_list"]}
    assert members[mother["spid"]]["relationship_head"] == "self"
    assert members[son["spid"]]["demographic_info"]["person"]["birth_date"] == str(
        dci_family["son_born"]
    )
    header = answer["header"]
    assert (header["status"], header["total_count"], header["completed_count"]) == ("succ", 5, 5)


def test_predicate_searches(dci_http, dci_operator, dci_family):
    mother, son = dci_family["mother"], dci_family["son"]
    mother_born, son_born = dci_family["mother_born"], dci_family["son_born"]
    commune_of_son = son["address"]["commune"]["code"]
    age_of_son = _age(son_born)
    body = request(
        predicate(born(mother_born)),
        predicate(
            born(mother_born, "ge"),
            born(son_born, "le"),
            {"attribute_name": "sex", "operator": "eq", "attribute_value": "male"},
        ),
        predicate(
            born(son_born),
            {
                "attribute_name": "commune_code",
                "operator": "in",
                "attribute_value": f"{commune_of_son},999999",
            },
        ),
        predicate(
            born(son_born),
            {"attribute_name": "age", "operator": "eq", "attribute_value": age_of_son},
        ),
        predicate(
            born(son_born),
            {"attribute_name": "age", "operator": "lt", "attribute_value": str(age_of_son)},
        ),
        predicate(
            born(mother_born),
            {"attribute_name": "gender", "operator": "eq", "attribute_value": "f"},
        ),
        {
            "query_type": "predicate",
            "query": [
                {
                    "seq_num": 1,
                    "expression1": born(mother_born),
                    "condition": "or",
                    "expression2": born(son_born),
                },
                {
                    "seq_num": 2,
                    "expression1": born(mother_born, "ge"),
                    "condition": "not",
                    "expression2": born(son_born),
                },
            ],
        },
    )
    items = send(dci_http, dci_operator, body)["message"]["search_response"]
    assert spids(items[0]) == {mother["spid"]}
    assert son["spid"] in spids(items[1]) and mother["spid"] not in spids(items[1])
    assert spids(items[2]) == {son["spid"]}
    assert spids(items[3]) == {son["spid"]}
    assert spids(items[4]) == set()
    assert spids(items[5]) == {mother["spid"]}
    assert spids(items[6]) == {mother["spid"]}


def _age(born_on: date) -> int:
    today = date.today()
    return today.year - born_on.year - ((today.month, today.day) < (born_on.month, born_on.day))


def test_expression_queries_in_both_official_forms(dci_http, dci_operator, dci_family):
    mother, son = dci_family["mother"], dci_family["son"]
    mother_born, son_born = dci_family["mother_born"], dci_family["son_born"]

    def template(query: dict, collection: str = "Member") -> dict:
        return {
            "query_type": "expression",
            "query": {
                "type": "ns:org:QueryType:NoSql",
                "value": {"expression": {"collection": collection, "query": query}},
            },
        }

    body = request(
        {"query_type": "expression", "query": predicate(born(son_born))["query"]},
        template({"birth_date": str(mother_born)}),
        template(
            {
                "$or": [
                    {"birth_date": {"$eq": str(mother_born)}},
                    {"birth_date": {"$eq": str(son_born)}},
                ]
            }
        ),
        template(
            {
                "$and": [
                    {"birth_date": {"$gte": str(mother_born), "$lte": str(son_born)}},
                    {"demographic_info.person.sex": {"$eq": "female"}},
                    {"birth_date": {"$in": [str(mother_born), str(son_born)]}},
                ]
            }
        ),
        template({"birth_date": {"$eq": str(son_born)}}, "Group") | {"response_entity": "Group"},
        template({"poverty_score": {"$lt": 5}}),
        template({"birth_date": {"$regex": ".*"}}),
    )
    items = send(dci_http, dci_operator, body)["message"]["search_response"]
    assert spids(items[0]) == {son["spid"]}
    assert spids(items[1]) == {mother["spid"]}
    assert spids(items[2]) == {mother["spid"], son["spid"]}
    assert spids(items[3]) == {mother["spid"]}
    assert [g["id"] for g in items[4]["data"]["reg_records"]] == [dci_family["household"]["id"]]
    for refused in items[5:]:
        assert refused["status_reason_code"] == "rjct.search_criteria.invalid"


def test_where_the_official_schema_contradicts_itself_the_request_is_still_answered(
    dci_http, dci_operator, dci_family
):
    """No request with an integer attribute_value or an expression template
    passes the official schema as written (overlapping oneOf branches); read
    as meant, they do, and the registry answers them."""
    by_age = predicate(
        born(dci_family["son_born"]),
        {"attribute_name": "age", "operator": "ge", "attribute_value": 18},
    )
    template = {
        "query_type": "expression",
        "query": {
            "type": "ns:org:QueryType:NoSql",
            "value": {"expression": {"query": {"birth_date": str(dci_family["son_born"])}}},
        },
    }
    for criteria in (by_age, template):
        body = request(criteria)
        (error,) = validator("sync_search_request").iter_errors(body)
        assert _overlapping_branches(error)
        (item,) = send(dci_http, dci_operator, body)["message"]["search_response"]
        assert spids(item) == {dci_family["son"]["spid"]}


def _overlapping_branches(error) -> bool:
    """The error, or one it is made of, is a value matching two oneOf branches."""
    return "is valid under each of" in error.message or any(
        _overlapping_branches(e) for e in error.context or []
    )
