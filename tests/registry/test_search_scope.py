"""registry.search finds records; only registry.read reads them (the DCI search answer)."""

from __future__ import annotations

import pytest

from portal.registry.server.contract import schema_validator
from tests.registry.conftest import actor_headers, new_credentials, token_for
from tests.registry.factories import household_content, person_content, unique_birth_date
from tests.registry.test_search import dci_request

PERSONAL_FIELDS = {
    "name",
    "name_km",
    "birth_date",
    "sex",
    "phone_number",
    "address",
    "disability_card",
    "is_disabled",
    "marital_status",
}


@pytest.fixture
def registered(http, credentials) -> dict:
    """A person with phones, national ID and disability card, heading a household."""
    headers = actor_headers(token_for(http, credentials))
    born = unique_birth_date()
    content = person_content(
        birth_date=born,
        is_disabled=True,
        disability_card={"card_number": "DC-12345", "level": "severe"},
    )
    person = http.post(
        "/data/persons/1.0/create", json={"write": {"content": content}}, headers=headers
    ).json()
    household = http.post(
        "/data/households/1.0/create",
        json={"write": {"content": household_content([(person["spid"], "head")])}},
        headers=headers,
    ).json()
    return {"person": person, "household": household, "born": born}


def search(http, token: str, query, query_type="predicate", entity="Member", page_size=100):
    body = dci_request(query, query_type)
    criteria = body["message"]["search_request"][0]["search_criteria"]
    criteria.update(response_entity=entity, pagination={"page_size": page_size, "page_number": 1})
    response = http.post("/registry/sync/search", json=body, headers=actor_headers(token))
    assert response.status_code == 200, response.text
    item = response.json()["message"]["search_response"][0]
    assert item["status"] == "succ", item
    return item["data"]["reg_records"]


def born_on(day: str, operator: str = "eq") -> list[dict]:
    expression = {"attribute_name": "birth_date", "operator": operator, "attribute_value": day}
    return [{"seq_num": 1, "expression1": expression}]


@pytest.fixture
def search_only_token(http, registry_app) -> str:
    return token_for(http, new_credentials(registry_app, ["registry.search"]))


def test_a_search_only_client_cannot_read_persons(http, search_only_token, registered):
    read = {"query": {"content": {"id": registered["person"]["id"]}}}
    response = http.post(
        "/data/persons/1.0/read", json=read, headers=actor_headers(search_only_token)
    )
    assert response.status_code == 403


def test_a_broad_predicate_search_gives_a_search_only_client_no_personal_data(
    http, search_only_token, registered
):
    records = search(http, search_only_token, born_on("1900-01-01", "ge"))
    assert records
    for record in records:
        schema_validator("SearchOnlyMember").validate(record)


def test_a_search_only_member_is_its_ids_and_household_link(http, search_only_token, registered):
    person, household = registered["person"], registered["household"]
    (record,) = search(http, search_only_token, born_on(registered["born"]))
    assert record == {
        "id": person["id"],
        "spid": person["spid"],
        "identifier": [{"identifier_type": "SPID", "identifier_value": person["spid"]}],
        "household_identifier": household["id"],
        "household_status": "head",
    }


def test_a_search_only_group_is_its_ids_and_members(http, search_only_token, registered):
    person, household = registered["person"], registered["household"]
    (record,) = search(http, search_only_token, born_on(registered["born"]), entity="Group")
    schema_validator("SearchOnlyGroup").validate(record)
    assert record == {
        "id": household["id"],
        "group_identifier": [
            {"identifier_type": "HOUSEHOLD_ID", "identifier_value": household["id"]}
        ],
        "group_head_info": {"spid": person["spid"]},
        "group_size": 1,
        # Member objects, as the official examples hold them: ids and links, no person.
        "member_list": [
            {
                "member_identifier": [
                    {"identifier_type": "SPID", "identifier_value": person["spid"]}
                ],
                "relationship_head": "self",
                "household_status": "head",
            }
        ],
    }


def test_search_with_read_scope_gives_full_records(http, registry_app, registered):
    token = token_for(http, new_credentials(registry_app, ["registry.search", "registry.read"]))
    (record,) = search(http, token, born_on(registered["born"]))
    assert set(record) >= PERSONAL_FIELDS
    assert record["phone_number"] == registered["person"]["phone_number"]
    (group,) = search(http, token, born_on(registered["born"]), entity="Group")
    assert group["idpoor"] == registered["household"]["idpoor"]
    (member,) = group["member_list"]
    assert member["member_identifier"][0]["identifier_value"] == registered["person"]["spid"]
    assert member["demographic_info"]["person"]["phone_number"] == record["phone_number"]


def test_a_search_only_search_is_still_in_the_access_log(
    http, credentials, search_only_token, registered
):
    search(http, search_only_token, born_on(registered["born"]))
    person_id = registered["person"]["id"]
    log = http.get(
        f"/data/persons/1.0/{person_id}/access-log",
        headers=actor_headers(token_for(http, credentials)),
    ).json()
    assert log["results"][0]["action"] == "search"
