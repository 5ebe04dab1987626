"""Approving a change request applies it, in the approval's transaction."""

from __future__ import annotations

import uuid

import pytest

from portal.registry.client import RegistryConflict, RegistryValidationError
from portal.registry.server.change_request_effects import BIRTH_NAMESPACE
from tests.registry.change_request_helpers import (
    APPROVER,
    approve,
    family,
    read_person,
    review,
    submit,
)
from tests.registry.factories import (
    OTHER_VILLAGE,
    VILLAGE,
    new_nin,
    new_phone,
    person_content,
)


def test_an_approved_name_change_is_a_new_version_of_the_person_by_the_approver(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    new_name = {"name_km": {"surname": "កែវ", "given_name": "ចន្ធូ"}}
    request = submit(registry, actor, person["spid"], "name", proposed_changes=new_name)
    assert request["applied_at"] is None

    approved = approve(registry, request)

    after = read_person(registry, actor, person["spid"])
    assert after["name_km"] == new_name["name_km"]
    assert after["name"] == person["name"]  # top-level fields not proposed stay
    assert after["version"] == person["version"] + 1
    assert after["updated_by"] == APPROVER.actor
    assert approved["status"] == "approved"
    assert approved["applied_at"] and approved["new_person_spid"] is None
    assert approved["version"] == request["version"] + 2  # in_review, then approved
    log = registry.persons.access_log(person["id"], actor=actor)
    assert any(e.action == "update" and e.actor == APPROVER.actor for e in log.entries)


@pytest.mark.parametrize(
    ("request_type", "proposed", "expected"),
    [
        ("phone_number", {"phone_number": ["097 888 7777"]}, {"phone_number": ["+855978887777"]}),
        (
            "birth_date",
            {"birth_date": "1986-07-01", "birth_date_estimated": True},
            {"birth_date": "1986-07-01", "birth_date_estimated": True},
        ),
        ("other", {"marital_status": "widowed"}, {"marital_status": "widowed"}),
        (
            "disability",
            {"is_disabled": True, "disability_card": {"card_number": "DC-0042"}},
            {"is_disabled": True, "disability_card": {"card_number": "DC-0042"}},
        ),
    ],
)
def test_each_person_field_type_replaces_the_proposed_fields(
    registry, actor, request_type, proposed, expected
):
    person = registry.persons.create(person_content(), actor=actor)
    request = submit(registry, actor, person["spid"], request_type, proposed_changes=proposed)
    approve(registry, request)
    after = read_person(registry, actor, person["spid"])
    assert {name: after.get(name) for name in expected} == expected
    assert after["version"] == person["version"] + 1


def test_an_approved_identifier_change_moves_the_national_id(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    nin = new_nin()
    identifier = [{"identifier_type": "NIN", "identifier_value": nin}]
    request = submit(
        registry, actor, person["spid"], "identifier", proposed_changes={"identifier": identifier}
    )
    approve(registry, request)
    found = registry.search.by_id("NIN", nin, actor=actor)
    assert [r["spid"] for r in found.records] == [person["spid"]]


def test_link_phone_adds_numbers_and_keeps_the_existing_ones(registry, actor):
    existing = new_phone()
    person = registry.persons.create(person_content(phone_number=[existing]), actor=actor)
    added = new_phone()
    request = submit(
        registry,
        actor,
        person["spid"],
        "link_phone",
        proposed_changes={"phone_number": [added, "+855" + existing[1:]]},
    )
    approve(registry, request)
    after = read_person(registry, actor, person["spid"])
    assert after["phone_number"] == ["+855" + existing[1:], "+855" + added[1:]]
    found = registry.search.by_id("MOBILE", added, actor=actor)
    assert [r["spid"] for r in found.records] == [person["spid"]]


def test_a_head_who_moves_takes_the_household_and_its_members_along(registry, actor):
    household, (head, spouse, child) = family(registry, actor)
    address = {"village_code": OTHER_VILLAGE, "address_line": "ផ្ទះលេខ ១២"}
    request = submit(
        registry, actor, head["spid"], "address", proposed_changes={"address": address}
    )
    approve(registry, request)
    for person in (head, spouse, child):
        after = read_person(registry, actor, person["spid"])
        assert after["address"]["village_code"] == OTHER_VILLAGE
        assert after["address"]["address_line"] == "ផ្ទះលេខ ១២"
        assert after["version"] == person["version"] + 1
    moved = registry.households.read(household["id"], actor=actor)
    assert moved["address"]["village_code"] == OTHER_VILLAGE
    assert moved["version"] == household["version"] + 1


def test_a_member_who_moves_moves_alone(registry, actor):
    household, (head, spouse, _child) = family(registry, actor)
    address = {"village_code": OTHER_VILLAGE}
    request = submit(
        registry, actor, spouse["spid"], "address", proposed_changes={"address": address}
    )
    approve(registry, request)
    assert read_person(registry, actor, spouse["spid"])["address"]["village_code"] == OTHER_VILLAGE
    assert read_person(registry, actor, head["spid"])["address"]["village_code"] == VILLAGE
    unchanged = registry.households.read(household["id"], actor=actor)
    assert unchanged["address"]["village_code"] == VILLAGE
    assert unchanged["version"] == household["version"]


def test_a_birth_registers_the_baby_in_the_household(registry, actor):
    household, (head, _spouse, _child) = family(registry, actor)
    baby = {
        "name_km": {"surname": "ចាន់", "given_name": "ស្រីល័ក្ខ"},
        "sex": "female",
        "birth_date": "2025-02-03",
    }
    request = submit(registry, actor, head["spid"], "household_birth", proposed_changes=baby)
    assert request["household_status"] == "child"  # the default

    approved = approve(registry, request)

    spid = approved["new_person_spid"]
    assert spid and approved["applied_at"]
    registered = read_person(registry, actor, spid)
    assert registered["id"] == str(uuid.uuid5(BIRTH_NAMESPACE, request["id"]))
    assert registered["name_km"] == baby["name_km"] and "name" not in registered
    assert (registered["sex"], registered["birth_date"]) == ("female", "2025-02-03")
    assert registered["status"] == "active"
    assert registered["address"]["village_code"] == VILLAGE  # the household's
    assert registered["household_identifier"] == household["id"]
    assert registered["household_status"] == "child"
    assert registered["created_by"] == APPROVER.actor
    grown = registry.households.read(household["id"], actor=actor)
    assert grown["group_size"] == 4 and grown["version"] == household["version"] + 1


def test_approving_a_birth_again_registers_nobody_new(registry, actor):
    household, (head, *_others) = family(registry, actor, size=2)
    baby = {"name": {"surname": "Chan", "given_name": "Dara"}, "sex": "male"}
    baby |= {"birth_date": "2025-03-01", "birth_date_estimated": True}
    request = submit(
        registry,
        actor,
        head["spid"],
        "household_birth",
        proposed_changes=baby,
        household_status="other",
    )
    first = approve(registry, request)
    again = registry.change_requests.update(request["id"], {"status": "approved"}, actor=APPROVER)
    assert again["version"] == first["version"]
    assert again["new_person_spid"] == first["new_person_spid"]
    # The portal retrying its first write (the default left out) is the same request.
    sent = {name: request[name] for name in ("id", "person_spid", "request_type")}
    retried = registry.change_requests.update_or_create(
        {**sent, "proposed_changes": baby, "household_status": "other"}, actor=actor
    )
    assert retried["version"] == first["version"]
    registered = read_person(registry, actor, first["new_person_spid"])
    assert registered["birth_date_estimated"] is True
    assert registered["household_status"] == "other"
    assert registry.households.read(household["id"], actor=actor)["group_size"] == 3


def test_a_member_who_left_is_out_of_the_household_and_still_active(registry, actor):
    household, (head, spouse, child) = family(registry, actor)
    request = submit(
        registry, actor, head["spid"], "household_member_left", member_spid=child["spid"]
    )
    assert request["member_spid"] == child["spid"]
    approve(registry, request)
    retry = {name: request[name] for name in ("id", "person_spid", "request_type", "member_spid")}
    retried = registry.change_requests.update_or_create(
        {**retry, "proposed_changes": {}, "status": "approved"}, actor=actor
    )
    assert retried["applied_at"] and retried["version"] == request["version"] + 2
    left = read_person(registry, actor, child["spid"])
    assert left["status"] == "active"
    assert left["household_identifier"] is None
    smaller = registry.households.read(household["id"], actor=actor)
    assert [m["spid"] for m in smaller["members"]] == [head["spid"], spouse["spid"]]
    assert smaller["version"] == household["version"] + 1


def test_a_death_takes_the_member_out_of_the_household_and_deactivates_them(registry, actor):
    household, (head, spouse, _child) = family(registry, actor)
    request = submit(registry, actor, head["spid"], "death", member_spid=spouse["spid"])
    approve(registry, request)
    died = read_person(registry, actor, spouse["spid"])
    assert died["status"] == "inactive"
    assert died["household_identifier"] is None
    assert died["version"] == spouse["version"] + 1
    members = registry.households.read(household["id"], actor=actor)["members"]
    assert spouse["spid"] not in {m["spid"] for m in members}


def test_a_rejected_request_changes_no_data(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    proposed = {"name": {"surname": "Keo", "given_name": "Bopha"}}
    request = submit(registry, actor, person["spid"], "name", proposed_changes=proposed)
    review(registry, request)
    rejected = registry.change_requests.update(
        request["id"], {"status": "rejected"}, actor=APPROVER, reason="no document"
    )
    assert rejected["applied_at"] is None
    assert rejected["history"][-1]["reason"] == "no document"
    after = read_person(registry, actor, person["spid"])
    assert after["name"] == person["name"] and after["version"] == person["version"]


def test_a_request_about_someone_who_has_since_died_can_still_be_rejected(registry, actor):
    _household, (head, spouse, _child) = family(registry, actor)
    pending = submit(
        registry, actor, spouse["spid"], "other", proposed_changes={"marital_status": "single"}
    )
    review(registry, pending)
    approve(registry, submit(registry, actor, head["spid"], "death", member_spid=spouse["spid"]))
    with pytest.raises(RegistryValidationError) as caught:
        registry.change_requests.update(pending["id"], {"status": "approved"}, actor=APPROVER)
    assert "write.content.person_spid" in caught.value.field_errors
    rejected = registry.change_requests.update(
        pending["id"], {"status": "rejected"}, actor=APPROVER, reason="person died"
    )
    assert rejected["status"] == "rejected"


def test_an_approval_that_cannot_be_applied_changes_nothing(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    nin = new_nin()
    identifier = [{"identifier_type": "NIN", "identifier_value": nin}]
    request = submit(
        registry, actor, person["spid"], "identifier", proposed_changes={"identifier": identifier}
    )
    in_review = review(registry, request)
    holder = registry.persons.create(person_content(identifier=identifier), actor=actor)

    with pytest.raises(RegistryConflict) as caught:
        registry.change_requests.update(request["id"], {"status": "approved"}, actor=APPROVER)

    assert caught.value.status == 409
    assert caught.value.code == "err.nin.duplicate"
    assert caught.value.existing_spid == holder["spid"]
    still = registry.change_requests.read(request["id"], actor=actor)
    assert (still["status"], still["version"]) == ("in_review", in_review["version"])
    assert still["applied_at"] is None
    assert [h["to_status"] for h in still["history"]] == ["submitted", "in_review"]
    after = read_person(registry, actor, person["spid"])
    assert after["identifier"] == person["identifier"] and after["version"] == person["version"]


def test_a_birth_that_cannot_be_applied_registers_nobody(registry, actor):
    household, (head, spouse, _child) = family(registry, actor)
    baby = {"name_km": {"surname": "ចាន់", "given_name": "ដារា"}, "sex": "male"}
    request = submit(
        registry,
        actor,
        spouse["spid"],
        "household_birth",
        proposed_changes={**baby, "birth_date": "2025-04-04"},
    )
    review(registry, request)
    # The reporting spouse left the household before the approval.
    approve(
        registry,
        submit(registry, actor, head["spid"], "household_member_left", member_spid=spouse["spid"]),
    )
    with pytest.raises(RegistryValidationError) as caught:
        registry.change_requests.update(request["id"], {"status": "approved"}, actor=APPROVER)
    assert "write.content.person_spid" in caught.value.field_errors
    assert registry.households.read(household["id"], actor=actor)["group_size"] == 2
    assert registry.change_requests.read(request["id"], actor=actor)["new_person_spid"] is None


def test_an_approved_request_cannot_be_edited(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    request = submit(
        registry, actor, person["spid"], "other", proposed_changes={"marital_status": "single"}
    )
    approve(registry, request)
    with pytest.raises(RegistryValidationError) as caught:
        registry.change_requests.update(
            request["id"], {"proposed_changes": {"marital_status": "divorced"}}, actor=APPROVER
        )
    assert "write.content.proposed_changes" in caught.value.field_errors
    assert read_person(registry, actor, person["spid"])["marital_status"] == "single"
