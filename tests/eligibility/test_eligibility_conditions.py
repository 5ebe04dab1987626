"""The condition language: Kleene logic, dates, and compile errors."""

from __future__ import annotations

import datetime
import itertools

import pytest

from portal.eligibility.conditions import (
    ConditionError,
    age_in_months,
    age_in_years,
    compile_condition,
)

DAY = datetime.date(2025, 1, 1)
T, F, U = True, False, None


def leaf(path: str = "person.pregnant") -> dict:
    return {"rule": "woman", "fact": path, "eq": True}


def flat_for(*values: bool | None) -> dict:
    """Facts for leaves over person.pregnant / disability_card / living_with_hiv."""
    paths = ("person.pregnant", "person.disability_card", "person.living_with_hiv")
    return {path: value for path, value in zip(paths, values, strict=False) if value is not None}


TWO = [leaf("person.pregnant"), leaf("person.disability_card")]


@pytest.mark.parametrize(("a", "b"), list(itertools.product((T, F, U), repeat=2)))
def test_all_any_follow_kleene_truth_tables(a, b):
    order = {F: 0, U: 1, T: 2}
    by_rank = {0: F, 1: U, 2: T}
    flat = flat_for(a, b)
    assert compile_condition({"all": TWO}, "c").value(flat, DAY) is by_rank[min(order[a], order[b])]
    assert compile_condition({"any": TWO}, "c").value(flat, DAY) is by_rank[max(order[a], order[b])]


@pytest.mark.parametrize(("a", "expected"), [(T, F), (F, T), (U, U)])
def test_not_keeps_unknown_unknown(a, expected):
    node = compile_condition({"not": leaf()}, "c")
    assert node.value(flat_for(a), DAY) is expected


def test_explanation_names_only_the_deciding_rules_and_facts():
    node = compile_condition(
        {
            "all": [
                {"rule": "woman", "fact": "person.sex", "eq": "female"},
                {"rule": "disability_card", "fact": "person.disability_card", "eq": True},
                {"rule": "age_60_or_over", "fact": "person.birth_date", "age_at_least": 60},
            ]
        },
        "c",
    )
    male = node.explain({"person.sex": "male"}, DAY)
    assert male.value is False
    assert [(n.rule, v) for n, v in male.rules] == [("woman", False)]
    assert male.unknown == frozenset()
    female = node.explain({"person.sex": "female"}, DAY)
    assert female.value is None
    assert female.unknown == {"person.disability_card", "person.birth_date"}
    assert [n.rule for n, _ in female.rules] == ["disability_card", "age_60_or_over"]


def test_null_is_known_and_matches_no_ordering():
    node = compile_condition({"rule": "x", "fact": "person.school_grade", "gte": 1}, "c")
    assert node.value({"person.school_grade": None}, DAY) is False
    assert node.value({}, DAY) is None
    level = compile_condition({"rule": "x", "fact": "household.idpoor_level", "in": [1, 2]}, "c")
    assert level.value({"household.idpoor_level": None}, DAY) is False


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        ("1965-11-21", "2025-11-20", 59),
        ("1965-11-21", "2025-11-21", 60),
        ("1964-02-29", "2024-02-28", 59),
        ("1964-02-29", "2024-02-29", 60),
        ("1964-02-29", "2025-02-28", 60),
        ("1960-02-29", "2021-03-01", 61),
    ],
)
def test_age_in_years_counts_the_birthday_itself(born, on, years):
    assert age_in_years(datetime.date.fromisoformat(born), datetime.date.fromisoformat(on)) == years


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        ("2023-11-21", "2025-11-20", 23),
        ("2023-11-21", "2025-11-21", 24),
        ("2025-01-31", "2025-02-28", 0),
        ("2025-01-31", "2025-03-01", 1),
        ("2025-11-21", "2025-11-21", 0),
    ],
)
def test_age_in_months(born, on, months):
    assert (
        age_in_months(datetime.date.fromisoformat(born), datetime.date.fromisoformat(on)) == months
    )


def test_child_under_months_is_unknown_only_without_a_deciding_child():
    node = compile_condition({"rule": "x", "fact": "children", "child_under_months": 24}, "c")
    young, old = datetime.date(2024, 6, 1), datetime.date(2020, 1, 1)
    assert node.value({"children": [old, young]}, DAY) is True
    assert node.value({"children": [old]}, DAY) is False
    assert node.value({"children": []}, DAY) is False
    assert node.value({"children": [old, None]}, DAY) is None
    assert node.value({"children": [None, young]}, DAY) is True
    assert node.value({"children": [datetime.date(2026, 1, 1)]}, DAY) is False
    assert node.value({}, DAY) is None


def test_not_expired_includes_the_expiry_day():
    node = compile_condition(
        {"rule": "x", "fact": "household.equity_card_expiry", "not_expired": True}, "c"
    )
    assert node.value({"household.equity_card_expiry": DAY}, DAY) is True
    assert node.value({"household.equity_card_expiry": DAY}, DAY.replace(day=2)) is False


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        (
            {"rule": "x", "fact": "person.foo", "eq": 1},
            "c.fact",
            "'person.foo' is not a known fact",
        ),
        (
            {"rule": "x", "fact": "person.sex", "eq": "other"},
            "c.eq",
            "is not a value of person.sex",
        ),
        ({"rule": "x", "fact": "person.sex", "gte": 1}, "c.gte", "needs a number"),
        ({"rule": "x", "fact": "person.sex"}, "c", "exactly one operator"),
        ({"rule": "x", "fact": "person.sex", "eq": "male", "ne": "female"}, "c", "exactly one"),
        ({"fact": "person.sex", "eq": "male"}, "c.rule", "is required here"),
        ({"all": []}, "c.all", "non-empty list"),
        ({"all": [{"fact": "person.pregnant", "eq": True}]}, "c.all[0].rule", "is required"),
        ({"rule": "x", "lambda": "os.system('x')"}, "c.lambda", "not a condition keyword"),
        ({"rule": "x", "fact": "person.sex", "age_at_least": 60}, "c.age_at_least", "birth_date"),
        ({"rule": "x", "fact": "person.birth_date", "not_expired": True, "eq": 1}, "c", "one"),
        ("person.sex == 'female'", "c", "must be a mapping"),
    ],
)
def test_compile_errors_name_the_field(raw, path, message):
    with pytest.raises(ConditionError) as caught:
        compile_condition(raw, "c")
    assert caught.value.path == path
    assert message in caught.value.message


def test_rule_on_a_parent_covers_unnamed_leaves():
    node = compile_condition(
        {"rule": "x", "any": [{"fact": "person.pregnant", "eq": True}, {"not": leaf()}]}, "c"
    )
    explained = node.explain({"person.pregnant": True}, DAY)
    assert explained.value is True
    assert [(n.rule, v) for n, v in explained.rules] == [("x", True)]
