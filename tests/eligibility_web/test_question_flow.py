"""The screener asks only what fits the person: pregnancy only at ages it can
happen (12 to 55), children where the rule is about the household, and no
disability card advice for a person with no disability."""

import datetime as dt

import pytest

from tests.eligibility_web.conftest import ScreenerWalk


def born_years_ago(years: int) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def poor_woman(client, age: int, work: str = "informal") -> ScreenerWalk:
    walk = ScreenerWalk(client)
    born = born_years_ago(age)
    walk.date("birth-date", born.day, born.month, born.year)
    walk.answer("sex", answer="female")
    walk.answer("equity-card", answer="1")
    walk.date("equity-card-end", "30", "6", str(dt.date.today().year + 2))
    walk.answer("work", answer=work)
    return walk


@pytest.mark.parametrize(
    ("age", "asked"), [(11, False), (12, True), (30, True), (55, True), (56, False), (65, False)]
)
def test_pregnancy_is_asked_only_from_12_to_55(client, age, asked):
    walk = poor_woman(client, age)
    walk.unknown_until_done()
    assert ("pregnant" in walk.asked) is asked


def test_a_65_year_old_grandmother_can_say_she_looks_after_a_grandchild(client):
    walk = poor_woman(client, 65, work="none")
    assert walk.current() == "/eligibility/q/child-in-household"
    walk.answer("child-in-household", answer="yes")
    walk.unknown_until_done()
    assert "pregnant" not in walk.asked
    assert "child-under-2" not in walk.asked  # not asked if she gave birth lately
    results = client.get("/eligibility/results").get_data(as_text=True)
    may_get = results.split("You may get: an officer will check")[1].split("<h2>")[0]
    assert "Cash for pregnant women and children under 2" in may_get
    assert "you look after a child under 2 years old" in may_get


def test_no_child_under_2_in_the_household_means_no_question_about_her_own(client):
    walk = poor_woman(client, 30)
    walk.answer("pregnant", answer="no")
    walk.answer("child-in-household", answer="no")
    walk.unknown_until_done()
    assert "child-under-2" not in walk.asked and "child-birth-date" not in walk.asked
    results = client.get("/eligibility/results").get_data(as_text=True)
    not_now = results.split("Not now, and why")[1]
    assert "Cash for pregnant women and children under 2" in not_now


def test_an_nssf_employee_is_asked_about_her_own_births_for_maternity_pay(client):
    walk = poor_woman(client, 30, work="nssf_employee")
    walk.answer("pregnant", answer="no")
    walk.answer("child-in-household", answer="yes")
    assert walk.current() == "/eligibility/q/child-under-2"
    walk.answer("child-under-2", answer="yes")
    assert walk.current() == "/eligibility/q/child-birth-date"


def test_a_man_is_asked_about_neither_pregnancy_nor_children(client):
    walk = ScreenerWalk(client)
    walk.date("birth-date", "1", "1", "1990")
    walk.answer("sex", answer="male")
    walk.unknown_until_done()
    assert not {"pregnant", "child-in-household", "child-under-2"} & set(walk.asked)


def disability_walk(client, answer: str) -> str:
    walk = ScreenerWalk(client)
    walk.date("birth-date", "1", "1", "1970")
    walk.answer("sex", answer="male")
    walk.answer("equity-card", answer="none")
    walk.answer("work", answer="informal")
    walk.answer("disability-card", answer=answer)
    walk.unknown_until_done()
    return client.get("/eligibility/results").get_data(as_text=True)


def test_no_disability_card_advice_for_a_person_with_no_disability(client):
    results = disability_walk(client, "none")
    assert "how to get a disability card" not in results
    check = client.get("/eligibility/check").get_data(as_text=True)
    assert "No, I have no disability" in check


def test_disability_card_advice_for_a_person_with_a_disability_but_no_card(client):
    results = disability_walk(client, "no_card")
    assert "Ask your commune office how to get a disability card." in results
    check = client.get("/eligibility/check").get_data(as_text=True)
    assert "I have a disability, but no card" in check


def test_a_disability_card_gives_its_benefits(client):
    results = disability_walk(client, "card")
    eligible = results.split("You can get")[1].split("<h2>")[0]
    assert "Disability card benefits" in eligible
    path = "/eligibility/q/disability-card"
    assert 'value="card" checked' in client.get(path).get_data(as_text=True)
