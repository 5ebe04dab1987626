"""Validating and parsing the facts a person gives."""

from __future__ import annotations

import datetime

import pytest

from portal.eligibility import InvalidFacts, evaluate, validate_facts
from portal.eligibility.facts import parse_facts, without_unverified


def test_the_example_from_programmes_md_is_valid():
    facts = {
        "person": {
            "birth_date": "1990-05-01",
            "sex": "female",
            "pregnant": True,
            "disability_card": False,
            "living_with_hiv": False,
            "school_grade": 8,
            "school_attendance_percent": 85,
            "employment": "self_employed",
            "nssf_contribution_months_last_12": 10,
            "nssf_pension_contribution_months": 30,
        },
        "household": {
            "idpoor_level": 1,
            "idpoor_verified": True,
            "equity_card_expiry": "2027-06-30",
            "member_living_with_hiv": False,
        },
        "children": [{"birth_date": "2025-09-01"}],
    }
    assert validate_facts(facts) == {}
    assert validate_facts({}) == {}
    assert (
        validate_facts({"person": {"school_grade": None}, "household": {"idpoor_level": None}})
        == {}
    )


@pytest.mark.parametrize(
    ("facts", "path"),
    [
        ({"person": {"birth_date": "2023-02-30"}}, "person.birth_date"),
        ({"person": {"birth_date": "01/05/1990"}}, "person.birth_date"),
        ({"person": {"birth_date": "19900501"}}, "person.birth_date"),
        ({"person": {"birth_date": 1990}}, "person.birth_date"),
        ({"household": {"equity_card_expiry": "2027-13-01"}}, "household.equity_card_expiry"),
        ({"person": {"employment": "farmer"}}, "person.employment"),
        ({"person": {"sex": "f"}}, "person.sex"),
        ({"person": {"school_attendance_percent": 101}}, "person.school_attendance_percent"),
        ({"person": {"school_attendance_percent": -1}}, "person.school_attendance_percent"),
        ({"person": {"school_attendance_percent": "85"}}, "person.school_attendance_percent"),
        (
            {"person": {"school_attendance_percent": float("nan")}},
            "person.school_attendance_percent",
        ),
        ({"person": {"school_grade": 13}}, "person.school_grade"),
        ({"person": {"school_grade": 8.5}}, "person.school_grade"),
        ({"person": {"pregnant": "yes"}}, "person.pregnant"),
        ({"person": {"pregnant": None}}, "person.pregnant"),
        (
            {"person": {"nssf_contribution_months_last_12": 13}},
            "person.nssf_contribution_months_last_12",
        ),
        (
            {"person": {"nssf_pension_contribution_months": True}},
            "person.nssf_pension_contribution_months",
        ),
        ({"household": {"idpoor_level": 3}}, "household.idpoor_level"),
        ({"household": {"idpoor_level": True}}, "household.idpoor_level"),
        ({"household": {"idpoor_verified": 1}}, "household.idpoor_verified"),
        ({"person": {"favourite_colour": "red"}}, "person.favourite_colour"),
        ({"pets": []}, "pets"),
        ({"person": []}, "person"),
        ({"children": {"birth_date": "2025-01-01"}}, "children"),
        ({"children": ["2025-01-01"]}, "children[0]"),
        ({"children": [{"birth_date": "2025-02-29"}]}, "children[0].birth_date"),
        ({"children": [{"name": "Dara"}]}, "children[0].name"),
        ({"children": [{}] * 31}, "children"),
    ],
)
def test_bad_facts_give_an_error_on_their_path(facts, path):
    errors = validate_facts(facts)
    assert list(errors) == [path]
    assert errors[path]


def test_not_an_object_is_one_error():
    assert list(validate_facts(["person"])) == ["facts"]


def test_birth_dates_after_today_are_errors_only_when_today_is_given():
    facts = {"person": {"birth_date": "2030-01-01"}, "children": [{"birth_date": "2030-01-01"}]}
    assert validate_facts(facts) == {}
    errors = validate_facts(facts, today=datetime.date(2025, 1, 1))
    assert set(errors) == {"person.birth_date", "children[0].birth_date"}


def test_several_errors_are_all_reported():
    errors = validate_facts(
        {"person": {"sex": "x", "employment": "x"}, "household": {"idpoor_level": 9}}
    )
    assert set(errors) == {"person.sex", "person.employment", "household.idpoor_level"}


def test_evaluate_rejects_invalid_facts_with_the_same_errors():
    with pytest.raises(InvalidFacts) as caught:
        evaluate({"person": {"school_attendance_percent": 150}}, datetime.date(2025, 1, 1))
    assert list(caught.value.errors) == ["person.school_attendance_percent"]
    assert isinstance(caught.value, ValueError)


def test_evaluate_needs_a_date():
    with pytest.raises(TypeError):
        evaluate({}, "2025-01-01")
    with pytest.raises(TypeError):
        evaluate({}, datetime.datetime(2025, 1, 1, 12, 0))


def test_parse_flattens_and_accepts_date_objects():
    flat = parse_facts(
        {
            "person": {"birth_date": datetime.date(1990, 5, 1), "school_grade": None},
            "children": [{"birth_date": "2025-09-01"}, {}],
        }
    )
    assert flat == {
        "person.birth_date": datetime.date(1990, 5, 1),
        "person.school_grade": None,
        "children": [datetime.date(2025, 9, 1), None],
    }


def test_idpoor_facts_count_as_verified_only_with_the_registry_flag():
    declared = parse_facts({"household": {"idpoor_level": 1, "equity_card_expiry": "2027-01-01"}})
    assert without_unverified(declared) == {}
    unverified = parse_facts({"household": {"idpoor_level": 1, "idpoor_verified": False}})
    assert without_unverified(unverified) == {"household.idpoor_verified": False}
    verified = parse_facts({"household": {"idpoor_level": 1, "idpoor_verified": True}})
    assert without_unverified(verified) == verified
