"""Households: one head, one household per person, IDPoor, Group search."""

from __future__ import annotations

import pytest

from portal.registry.client import RegistryValidationError
from tests.registry.factories import household_content, person_content


@pytest.fixture
def family(registry, actor):
    return [registry.persons.create(person_content(), actor=actor)["spid"] for _ in range(3)]


def test_household_with_head_and_members(registry, actor, family):
    head, spouse, child = family
    content = household_content([(head, "head"), (spouse, "spouse"), (child, "child")])
    household = registry.households.create(content, actor=actor)
    assert household["head_spid"] == head
    assert household["group_size"] == 3
    assert household["idpoor"]["level"] == 1
    assert household["address"]["district"]["name_en"] == "Mangkul Bourei"
    member = registry.persons.read_by_spid(child, actor=actor)
    assert member["household_identifier"] == content["id"]
    assert member["household_status"] == "child"


def test_a_household_needs_exactly_one_head(registry, actor, family):
    with pytest.raises(RegistryValidationError) as caught:
        registry.households.create(
            household_content([(family[0], "spouse"), (family[1], "child")]), actor=actor
        )
    assert "write.content.members" in caught.value.field_errors


def test_a_person_belongs_to_one_household(registry, actor, family):
    registry.households.create(household_content([(family[0], "head")]), actor=actor)
    with pytest.raises(RegistryValidationError) as caught:
        registry.households.create(
            household_content([(family[1], "head"), (family[0], "child")]), actor=actor
        )
    assert "write.content.members.1.spid" in caught.value.field_errors


def test_unknown_member_spid_is_refused(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.households.create(household_content([("00000000000", "head")]), actor=actor)
    assert "write.content.members.0.spid" in caught.value.field_errors


def test_members_can_move_out_and_idpoor_level_change(registry, actor, family):
    head, spouse, _child = family
    household = registry.households.create(
        household_content([(head, "head"), (spouse, "spouse")]), actor=actor
    )
    updated = registry.households.update(
        household["id"],
        {"members": [{"spid": head, "household_status": "head"}], "idpoor": None},
        actor=actor,
    )
    assert updated["group_size"] == 1 and updated["idpoor"] is None
    assert registry.persons.read_by_spid(spouse, actor=actor)["household_identifier"] is None


def test_group_search_by_member_spid_and_household_id(registry, actor, family):
    head, spouse, _ = family
    content = household_content([(head, "head"), (spouse, "spouse")])
    registry.households.create(content, actor=actor)
    by_spid = registry.search.by_id("SPID", spouse, actor=actor, entity="Group")
    assert by_spid.record_type == "Group"
    assert [r["id"] for r in by_spid.records] == [content["id"]]
    group = by_spid.records[0]
    assert group["group_identifier"][0]["identifier_value"] == content["id"]
    assert group["group_head_info"]["spid"] == head
    members = registry.search.by_id("HOUSEHOLD_ID", content["id"], actor=actor)
    assert {r["spid"] for r in members.records} == {head, spouse}


def test_list_households_by_member(registry, actor, family):
    content = household_content([(family[2], "head")])
    registry.households.create(content, actor=actor)
    page = registry.households.list(actor=actor, member_spid=family[2])
    assert [h["id"] for h in page.results] == [content["id"]]


def test_a_self_declared_card_is_kept_and_cannot_also_be_verified(registry, actor, family):
    told = {"level": 2, "card_number": "IDP-TOLD-1", "self_declared": True}
    content = household_content([(family[0], "head")], idpoor=told)
    household = registry.households.create(content, actor=actor)
    assert registry.households.read(household["id"], actor=actor)["idpoor"] == told
    verified = {**told, "self_declared": False, "verified_by": "officer:commune-7"}
    verified["verified_at"] = "2025-06-01T10:00:00+07:00"
    updated = registry.households.update(household["id"], {"idpoor": verified}, actor=actor)
    assert updated["idpoor"] == verified
    with pytest.raises(RegistryValidationError) as caught:
        registry.households.update(
            household["id"], {"idpoor": {**verified, "self_declared": True}}, actor=actor
        )
    assert set(caught.value.field_errors) == {"write.content.idpoor.self_declared"}
