"""DCI sync search: id types, predicates, sort, pagination, DCI status codes."""

from __future__ import annotations

import uuid

import pytest

from portal.registry.client import RegistryValidationError, predicate
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import new_nin, new_phone, person_content, unique_birth_date


def test_search_by_spid_nin_and_mobile_find_the_same_person(registry, actor):
    nin, phone = new_nin(), new_phone()
    person = registry.persons.create(
        person_content(
            identifier=[{"identifier_type": "NIN", "identifier_value": nin}], phone_number=[phone]
        ),
        actor=actor,
    )
    for id_type, value in (
        ("SPID", person["spid"]),
        ("NIN", nin),
        ("MOBILE", phone),
        ("MOBILE", "+855" + phone[1:]),
    ):
        result = registry.search.by_id(id_type, value, actor=actor)
        assert result.total_count == 1, id_type
        record = result.records[0]
        assert record["spid"] == person["spid"]
        assert record["identifier"][0] == {
            "identifier_type": "SPID",
            "identifier_value": person["spid"],
        }


def test_search_with_no_match_succeeds_empty(registry, actor):
    result = registry.search.by_id("NIN", new_nin(), actor=actor)
    assert result.total_count == 0 and result.records == []


def test_predicate_on_birth_date_place_and_sex_with_sort_and_pages(registry, actor):
    born = unique_birth_date()
    for sex in ("female", "male", "female"):
        registry.persons.create(
            person_content(birth_date=born, sex=sex, address={"village_code": "03010101"}),
            actor=actor,
        )
    expressions = [
        predicate("birth_date", "eq", born),
        predicate("district_code", "in", ["0301", "0302"]),
        predicate("sex", "eq", "female"),
    ]
    first = registry.search.by_predicate(
        expressions, actor=actor, sort=[("spid", "desc")], page_size=1
    )
    second = registry.search.by_predicate(
        expressions, actor=actor, sort=[("spid", "desc")], page_size=1, page=2
    )
    assert first.total_count == 2
    assert first.records[0]["spid"] > second.records[0]["spid"]


def test_predicate_or_and_not_conditions(registry, http, credentials):
    token = token_for(http, credentials)
    born = unique_birth_date()
    registry_actor = actor_headers(token)
    for village in ("04010101", "05010101"):
        http.post(
            "/data/persons/1.0/create",
            json={
                "write": {
                    "content": person_content(birth_date=born, address={"village_code": village})
                }
            },
            headers=registry_actor,
        ).raise_for_status()

    def count(item: dict) -> int:
        body = dci_request([{"seq_num": 1, **item}])
        answer = http.post("/registry/sync/search", json=body, headers=registry_actor).json()
        return answer["message"]["search_response"][0]["pagination"]["total_count"]

    birth = {"attribute_name": "birth_date", "operator": "eq", "attribute_value": born}
    in_04 = {"attribute_name": "province_code", "operator": "eq", "attribute_value": "04"}
    in_05 = {"attribute_name": "province_code", "operator": "eq", "attribute_value": "05"}
    assert count({"expression1": birth, "condition": "and", "expression2": in_04}) == 1
    assert count({"expression1": birth, "condition": "not", "expression2": in_04}) == 1
    either = {"expression1": in_04, "condition": "or", "expression2": in_05}
    assert count(either) >= 2


def test_invalid_pagination_rejects_the_item(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.search.by_id("NIN", "1", actor=actor, page_size=500)
    assert caught.value.code == "rjct.pagination.invalid"


def test_bad_criteria_reject_the_item(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.search.by_predicate([predicate("birth_date", "ge", "not-a-date")], actor=actor)
    assert caught.value.code == "rjct.search_criteria.invalid"


def dci_request(query, query_type="predicate", message_id=None, total_count=1) -> dict:
    return {
        "signature": "",
        "header": {
            "version": "1.0.0",
            "message_id": message_id or str(uuid.uuid4()),
            "message_ts": "2025-05-01T08:00:00+07:00",
            "action": "search",
            "sender_id": "test-sender",
            "total_count": total_count,
        },
        "message": {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [
                {
                    "reference_id": "ref-1",
                    "timestamp": "2025-05-01T08:00:00+07:00",
                    "search_criteria": {
                        "reg_type": "ns:org:RegistryType:Social",
                        "query_type": query_type,
                        "query": query,
                    },
                }
            ],
        },
    }


def test_repeated_message_id_is_rejected(http, credentials):
    headers = actor_headers(token_for(http, credentials))
    body = dci_request({"type": "NIN", "value": "1"}, "idtype-value", message_id="msg-repeat-1")
    first = http.post("/registry/sync/search", json=body, headers=headers).json()
    again = http.post("/registry/sync/search", json=body, headers=headers).json()
    assert first["header"]["status"] == "succ"
    assert first["header"]["completed_count"] == 1
    assert again["header"]["status"] == "rjct"
    assert again["header"]["status_reason_code"] == "rjct.message_id.duplicate"
    assert again["message"]["search_response"] == []


def test_total_count_must_match_the_requests(http, credentials):
    headers = actor_headers(token_for(http, credentials))
    body = dci_request({"type": "NIN", "value": "1"}, "idtype-value", total_count=3)
    answer = http.post("/registry/sync/search", json=body, headers=headers).json()
    assert answer["header"]["status_reason_code"] == "rjct.total_count.invalid"


def test_envelope_is_validated_against_the_contract(http, credentials):
    headers = actor_headers(token_for(http, credentials))
    body = dci_request({"type": "PASSPORT", "value": "1"}, "idtype-value")
    del body["header"]["message_ts"]
    response = http.post("/registry/sync/search", json=body, headers=headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "header.message_ts" in fields
