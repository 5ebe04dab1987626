"""What each type of change request needs: refused (422) when it is made, per field."""

from __future__ import annotations

import pytest

from portal.registry.client import RegistryValidationError
from tests.registry.change_request_helpers import family, submit
from tests.registry.factories import person_content

BABY = {"name_km": {"surname": "ចាន់", "given_name": "ធីតា"}, "sex": "female"}
BORN = {**BABY, "birth_date": "2025-01-09"}


@pytest.fixture
def household(inprocess, actor):
    """(household, [head, spouse, child]) of a new family."""
    return family(inprocess, actor)


def refused_fields(registry, actor, spid: str, request_type: str, **fields) -> set[str]:
    with pytest.raises(RegistryValidationError) as caught:
        submit(registry, actor, spid, request_type, **fields)
    assert caught.value.status == 422
    return set(caught.value.field_errors)


@pytest.mark.parametrize(
    ("request_type", "fields", "field"),
    [
        ("name", {}, "write.content.proposed_changes"),
        ("address", {"proposed_changes": {}}, "write.content.proposed_changes"),
        ("link_phone", {}, "write.content.proposed_changes"),
        ("household_birth", {}, "write.content.proposed_changes"),
        (
            "address",
            {"proposed_changes": {"address": {"village_code": "01999999"}}},
            "write.content.proposed_changes.address.village_code",
        ),
        (
            "phone_number",
            {"proposed_changes": {"phone_number": ["999"]}},
            "write.content.proposed_changes.phone_number.0",
        ),
        (
            "birth_date",
            {"proposed_changes": {"birth_date": "2999-01-01"}},
            "write.content.proposed_changes.birth_date",
        ),
        (
            "identifier",
            {
                "proposed_changes": {
                    "identifier": [
                        {"identifier_type": "NIN", "identifier_value": "111111111"},
                        {"identifier_type": "NIN", "identifier_value": "222222222"},
                    ]
                }
            },
            "write.content.proposed_changes.identifier",
        ),
        (
            "other",
            {"proposed_changes": {"status": "inactive"}},
            "write.content.proposed_changes.status",
        ),
        (
            "link_phone",
            {"proposed_changes": {"phone_number": ["097 888 7777", "999"]}},
            "write.content.proposed_changes.phone_number.1",
        ),
        (
            "link_phone",
            {"proposed_changes": {"name": {"surname": "Ly", "given_name": "Dara"}}},
            "write.content.proposed_changes.name",
        ),
        (
            "name",
            {
                "proposed_changes": {"name": {"surname": "Ly", "given_name": "Dara"}},
                "member_spid": "12345678901",
            },
            "write.content.member_spid",
        ),
        (
            "name",
            {
                "proposed_changes": {"name": {"surname": "Ly", "given_name": "Dara"}},
                "household_status": "child",
            },
            "write.content.household_status",
        ),
    ],
)
def test_a_person_change_is_checked_by_the_persons_rules(
    inprocess, actor, request_type, fields, field
):
    person = inprocess.persons.create(person_content(), actor=actor)
    assert field in refused_fields(inprocess, actor, person["spid"], request_type, **fields)


def test_link_phone_keeps_a_person_within_five_numbers(inprocess, actor):
    phones = ["012 111 001", "012 111 002", "012 111 003", "012 111 004"]
    person = inprocess.persons.create(person_content(phone_number=phones), actor=actor)
    fine = {"phone_number": ["012111004", "012 111 005"]}  # one repeat, one new: five
    submit(inprocess, actor, person["spid"], "link_phone", proposed_changes=fine)
    too_many = {"phone_number": ["012 111 005", "012 111 006"]}
    refused = refused_fields(
        inprocess, actor, person["spid"], "link_phone", proposed_changes=too_many
    )
    assert refused == {"write.content.proposed_changes.phone_number"}


@pytest.mark.parametrize(
    ("proposed", "fields"),
    [
        ({"name_km": BABY["name_km"]}, {"sex", "birth_date"}),
        ({"sex": "male", "birth_date": "2025-01-01"}, {"name_km"}),
        (
            {**BORN, "identifier": [{"identifier_type": "NIN", "identifier_value": "1"}]},
            {"identifier"},
        ),
        ({**BORN, "birth_date": "2999-01-01"}, {"birth_date"}),
    ],
)
def test_a_birth_needs_a_name_a_sex_and_a_birth_date_only(
    inprocess, actor, household, proposed, fields
):
    _household, (head, *_members) = household
    refused = refused_fields(
        inprocess, actor, head["spid"], "household_birth", proposed_changes=proposed
    )
    assert refused == {f"write.content.proposed_changes.{name}" for name in fields}


@pytest.mark.parametrize("request_type", ["household_birth", "household_member_left", "death"])
def test_household_changes_need_a_person_in_an_active_household(inprocess, actor, request_type):
    alone = inprocess.persons.create(person_content(), actor=actor)
    other = inprocess.persons.create(person_content(), actor=actor)
    fields = {"proposed_changes": BORN} if request_type == "household_birth" else {}
    if request_type != "household_birth":
        fields["member_spid"] = other["spid"]
    refused = refused_fields(inprocess, actor, alone["spid"], request_type, **fields)
    assert refused == {"write.content.person_spid"}


@pytest.mark.parametrize("request_type", ["household_member_left", "death"])
def test_a_member_change_names_a_member_of_the_same_household_who_is_not_the_head(
    inprocess, actor, household, request_type
):
    _household, (head, spouse, child) = household
    _elsewhere, (stranger, *_rest) = family(inprocess, actor, size=2)
    for member in (None, head["spid"], stranger["spid"]):
        fields = {"member_spid": member} if member else {}
        refused = refused_fields(inprocess, actor, spouse["spid"], request_type, **fields)
        assert refused == {"write.content.member_spid"}, member
    with_changes = refused_fields(
        inprocess,
        actor,
        spouse["spid"],
        request_type,
        member_spid=child["spid"],
        proposed_changes={"sex": "male"},
    )
    assert with_changes == {"write.content.proposed_changes"}
    accepted = submit(inprocess, actor, spouse["spid"], request_type, member_spid=child["spid"])
    assert accepted["proposed_changes"] == {} and accepted["status"] == "submitted"


def test_an_empty_proposal_is_allowed_for_member_changes(inprocess, actor, household):
    _household, (head, _spouse, child) = household
    request = submit(
        inprocess, actor, head["spid"], "death", member_spid=child["spid"], proposed_changes={}
    )
    assert request["request_type"] == "death" and request["member_spid"] == child["spid"]


def test_the_contract_refuses_an_unknown_type_and_a_malformed_member(inprocess, actor):
    person = inprocess.persons.create(person_content(), actor=actor)
    assert "write.content.request_type" in refused_fields(
        inprocess, actor, person["spid"], "marriage"
    )
    assert "write.content.member_spid" in refused_fields(
        inprocess, actor, person["spid"], "death", member_spid="not-a-spid"
    )
    assert "write.content.household_status" in refused_fields(
        inprocess,
        actor,
        person["spid"],
        "household_birth",
        proposed_changes=BORN,
        household_status="head",
    )
