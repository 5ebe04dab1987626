"""Persons through the portal's client, against the real server (in-process and socket)."""

from __future__ import annotations

import pytest

from portal.registry.client import (
    RegistryConflict,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryValidationError,
    etag_of,
)
from portal.registry.server.spid import is_valid_spid
from tests.registry.factories import (
    OTHER_VILLAGE,
    new_id,
    new_nin,
    person_content,
    unique_birth_date,
)


def test_create_issues_a_valid_spid_and_normalises_phone_and_nin(registry, actor):
    content = person_content(
        identifier=[{"identifier_type": "NIN", "identifier_value": "០" + new_nin()[1:]}],
        phone_number=["០៩៧ ៧៧៧ ៨៨៨៨"],
    )
    person = registry.persons.create(content, actor=actor)
    assert is_valid_spid(person["spid"])
    assert person["spid_display"].replace(" ", "") == person["spid"]
    assert person["spid_display"][4] == " " and person["spid_display"][9] == " "
    assert person["phone_number"] == ["+855977778888"]
    assert person["identifier"][0]["identifier_value"].isascii()
    assert person["id"] == content["id"]
    assert person["version"] == 1
    assert person["status"] == "active"
    assert person["created_by"] == actor.actor


def test_address_comes_back_with_khmer_and_english_place_names(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    address = person["address"]
    assert address["village"] == {"code": "01020101", "name_km": "អូរធំ", "name_en": "Ou Thum"}
    assert address["province"]["name_en"] == "Banteay Meanchey"
    assert address["commune"]["code"] == "010201"


def test_read_by_id_and_by_spid(registry, actor):
    created = registry.persons.create(person_content(), actor=actor)
    assert registry.persons.read(created["id"], actor=actor)["spid"] == created["spid"]
    by_spid = registry.persons.read_by_spid(created["spid_display"], actor=actor)
    assert by_spid["id"] == created["id"]
    assert registry.persons.exists(created["id"], actor=actor) is True
    assert registry.persons.exists(new_id(), actor=actor) is False


def test_unknown_person_is_not_found(registry, actor):
    with pytest.raises(RegistryNotFound):
        registry.persons.read(new_id(), actor=actor)


def test_national_id_is_unique_and_the_conflict_names_the_existing_spid(registry, actor):
    nin = new_nin()
    first = registry.persons.create(
        person_content(identifier=[{"identifier_type": "NIN", "identifier_value": nin}]),
        actor=actor,
    )
    with pytest.raises(RegistryConflict) as caught:
        registry.persons.create(
            person_content(identifier=[{"identifier_type": "NIN", "identifier_value": nin}]),
            actor=actor,
        )
    assert caught.value.status == 409
    assert caught.value.existing_spid == first["spid"]


def test_same_id_twice_is_a_conflict_on_create(registry, actor):
    content = person_content()
    registry.persons.create(content, actor=actor)
    with pytest.raises(RegistryConflict) as caught:
        registry.persons.create(content, actor=actor)
    assert caught.value.existing_id == content["id"]


def test_same_khmer_name_birth_date_and_village_is_flagged_not_blocked(registry, actor):
    birth_date = unique_birth_date()
    # The same name typed two ways: coeng DA vs coeng TA, and a zero-width space.
    first = registry.persons.create(
        person_content(
            name_km={"given_name": "ចន្ដា", "surname": "កែវ"},
            birth_date=birth_date,
            address={"village_code": OTHER_VILLAGE},
        ),
        actor=actor,
    )
    second = registry.persons.create(
        person_content(
            name_km={"given_name": "ចន្\u200bតា", "surname": "កែវ"},
            birth_date=birth_date,
            address={"village_code": OTHER_VILLAGE},
        ),
        actor=actor,
    )
    assert first["spid"] in second["possible_duplicates"]
    reread = registry.persons.read(first["id"], actor=actor)
    assert second["spid"] in reread["possible_duplicates"]
    assert reread["name_km"]["given_name"] == "ចន្ដា"  # kept as typed


def test_different_village_is_not_a_possible_duplicate(registry, actor):
    common = {
        "name_km": {"given_name": "វណ្ណា", "surname": "ហេង"},
        "birth_date": unique_birth_date(),
    }
    registry.persons.create(person_content(**common), actor=actor)
    other = registry.persons.create(
        person_content(**common, address={"village_code": OTHER_VILLAGE}), actor=actor
    )
    assert other["possible_duplicates"] == []


def test_validation_errors_name_each_field(registry, actor):
    content = person_content(nickname="Dara", sex="m", address={"village_code": "99999999"})
    with pytest.raises(RegistryValidationError) as caught:
        registry.persons.create(content, actor=actor)
    fields = caught.value.field_errors
    assert caught.value.status == 422
    assert "write.content.nickname" in fields
    assert "write.content.sex" in fields


def test_unknown_village_code_is_refused(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.persons.create(person_content(address={"village_code": "01029999"}), actor=actor)
    assert list(caught.value.field_errors) == ["write.content.address.village_code"]


def test_invalid_phone_number_is_refused(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.persons.create(person_content(phone_number=["12"]), actor=actor)
    assert "write.content.phone_number.0" in caught.value.field_errors


def test_update_with_stale_etag_is_412_and_fresh_etag_works(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    changed = registry.persons.update(
        person["id"], {"marital_status": "widowed"}, actor=actor, if_match=etag_of(person)
    )
    assert changed["version"] == 2
    assert changed["marital_status"] == "widowed"
    with pytest.raises(RegistryPreconditionFailed):
        registry.persons.update(
            person["id"], {"marital_status": "single"}, actor=actor, if_match=etag_of(person)
        )
    assert registry.persons.read(person["id"], actor=actor)["marital_status"] == "widowed"


def test_update_or_create_is_idempotent(registry, actor):
    content = person_content()
    first = registry.persons.update_or_create(content, actor=actor)
    again = registry.persons.update_or_create(content, actor=actor)
    assert again["spid"] == first["spid"]
    assert again["version"] == first["version"] == 1
    moved = registry.persons.update_or_create(
        {**content, "address": {"village_code": OTHER_VILLAGE}}, actor=actor
    )
    assert moved["version"] == 2
    assert moved["address"]["village_code"] == OTHER_VILLAGE


def test_no_delete_persons_are_deactivated_and_can_be_reactivated(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    inactive = registry.persons.deactivate(person["id"], actor=actor)
    assert inactive["status"] == "inactive"
    assert registry.persons.read(person["id"], actor=actor)["status"] == "inactive"
    active = registry.persons.update(person["id"], {"status": "active"}, actor=actor)
    assert active["status"] == "active"


def test_spid_cannot_be_written(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.persons.create(person_content(spid="12345678901"), actor=actor)
    assert "write.content.spid" in caught.value.field_errors


def test_list_filters_by_place_and_pages(registry, actor):
    for _ in range(3):
        registry.persons.create(person_content(address={"village_code": "17010101"}), actor=actor)
    first = registry.persons.list(actor=actor, village_code="17", page_size=2)
    assert first.count >= 3
    assert len(first.results) == 2
    assert first.next is not None and first.previous is None
    assert all(p["address"]["province"]["code"] == "17" for p in first.results)
    second = registry.persons.list(actor=actor, village_code="17", page_size=2, page=2)
    assert {p["id"] for p in second.results}.isdisjoint({p["id"] for p in first.results})


def test_an_estimated_birth_date_is_kept_as_given(registry, actor):
    person = registry.persons.create(
        person_content(birth_date="1950-07-01", birth_date_estimated=True), actor=actor
    )
    assert registry.persons.read(person["id"], actor=actor)["birth_date_estimated"] is True
    known = registry.persons.update(
        person["id"], {"birth_date": "1950-03-09", "birth_date_estimated": False}, actor=actor
    )
    assert (known["birth_date"], known["birth_date_estimated"]) == ("1950-03-09", False)


def test_an_update_to_someone_elses_national_id_names_its_holder(registry, actor):
    nin = new_nin()
    holder = registry.persons.create(
        person_content(identifier=[{"identifier_type": "NIN", "identifier_value": nin}]),
        actor=actor,
    )
    other = registry.persons.create(person_content(), actor=actor)
    with pytest.raises(RegistryConflict) as caught:
        registry.persons.update(
            other["id"],
            {"identifier": [{"identifier_type": "NIN", "identifier_value": nin}]},
            actor=actor,
        )
    assert caught.value.code == "err.nin.duplicate"
    assert caught.value.existing_spid == holder["spid"]
    assert registry.persons.read(other["id"], actor=actor)["version"] == other["version"]
