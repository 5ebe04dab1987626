"""Each programme's rules, with their boundaries and effective dates (PROGRAMMES.md)."""

from __future__ import annotations

import datetime

import pytest
from eligibility_helpers import NO_CARD, POOR_SELF_DECLARED, POOR_VERIFIED, TODAY, codes, result

from portal.eligibility import evaluate

TABLE_ORDER = [
    "health_equity_fund",
    "pregnancy_child_cash",
    "scholarship",
    "disability_allowance",
    "elderly_allowance",
    "hiv_allowance",
    "disability_card_benefits",
    "nssf_voluntary_health",
    "nssf_maternity_allowance",
    "nssf_old_age_pension",
    "nssf_pension_refund",
    "covid19_cash",
]
IDPOOR_PROGRAMMES = ["health_equity_fund", "disability_allowance", "elderly_allowance"]
STATUSES = {"eligible", "likely_eligible", "not_eligible", "needs_information", "ended"}


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"person": {"sex": "male"}, "household": NO_CARD},
        {"person": {"birth_date": "1950-01-01"}, "household": POOR_VERIFIED, "children": []},
    ],
)
@pytest.mark.parametrize("as_of", [datetime.date(2020, 1, 1), datetime.date(2023, 8, 1), TODAY])
def test_one_result_per_programme_in_table_order(facts, as_of):
    results = evaluate(facts, as_of)
    assert [r["programme"] for r in results] == TABLE_ORDER
    for r in results:
        assert r["status"] in STATUSES
        assert r["frequency"] in {"monthly", "per_event", "once", None}
        assert r["amount_riel"] is None or isinstance(r["amount_riel"], int)
        for item in r["reasons"] + r["next_steps"]:
            assert set(item) == {"code", "text"}
            assert type(item["text"]) is str and item["text"]
        assert r["reasons"], r


# --- IDPoor: verified, self-declared, none, expired ----------------------------------------------


def test_health_equity_fund_verified_card_is_eligible():
    r = result("health_equity_fund", {"household": POOR_VERIFIED})
    assert r["status"] == "eligible"
    assert codes(r["reasons"]) == ["idpoor_level_1_or_2_met", "equity_card_valid_met"]
    assert codes(r["next_steps"]) == ["show_equity_card_at_health_facility"]
    assert r["amount_riel"] is None


@pytest.mark.parametrize(
    "household", [POOR_SELF_DECLARED, {**POOR_VERIFIED, "idpoor_verified": False}]
)
def test_self_declared_idpoor_is_likely_eligible(household):
    r = result("health_equity_fund", {"household": household})
    assert r["status"] == "likely_eligible"
    assert "idpoor_not_verified" in codes(r["reasons"])
    assert codes(r["next_steps"])[0] == "officer_will_verify"


@pytest.mark.parametrize("programme", IDPOOR_PROGRAMMES)
def test_no_equity_card_is_not_eligible_with_on_demand_step(programme):
    facts = {
        "person": {"birth_date": "1950-01-01", "disability_card": True},
        "household": {"idpoor_level": None},
    }
    r = result(programme, facts)
    assert r["status"] == "not_eligible"
    assert codes(r["reasons"]) == ["idpoor_level_1_or_2_not_met"]
    assert codes(r["next_steps"]) == ["idpoor_on_demand"]


@pytest.mark.parametrize("programme", IDPOOR_PROGRAMMES)
def test_expired_card_is_not_eligible_with_reidentification_step(programme):
    facts = {
        "person": {"birth_date": "1950-01-01", "disability_card": True},
        "household": {**POOR_VERIFIED, "equity_card_expiry": "2025-11-20"},
    }
    r = result(programme, facts)
    assert r["status"] == "not_eligible"
    assert codes(r["reasons"]) == ["equity_card_valid_not_met"]
    assert codes(r["next_steps"]) == ["idpoor_reidentify"]


def test_card_is_valid_on_its_expiry_day():
    facts = {"household": {**POOR_VERIFIED, "equity_card_expiry": TODAY.isoformat()}}
    assert result("health_equity_fund", facts)["status"] == "eligible"


def test_unknown_level_or_expiry_needs_information():
    r = result("health_equity_fund", {})
    assert r["status"] == "needs_information"
    assert codes(r["reasons"]) == ["idpoor_level_1_or_2_unknown", "equity_card_valid_unknown"]
    r = result("health_equity_fund", {"household": {"idpoor_level": 2, "idpoor_verified": True}})
    assert r["status"] == "needs_information"
    assert codes(r["reasons"]) == ["equity_card_valid_unknown"]


# --- Elderly allowance: 59/60 on the exact birthday ----------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "status"),
    [("1965-11-22", "not_eligible"), ("1965-11-21", "eligible"), ("1940-01-01", "eligible")],
)
def test_elderly_allowance_age_boundary(birth_date, status):
    r = result(
        "elderly_allowance", {"person": {"birth_date": birth_date}, "household": POOR_VERIFIED}
    )
    assert r["status"] == status
    assert r["amount_riel"] is None  # amount not verified
    if status == "eligible":
        assert "amount_set_by_programme" in codes(r["reasons"])
        assert codes(r["next_steps"]) == ["bring_equity_card_and_id_or_birth_certificate"]
    else:
        assert codes(r["reasons"]) == ["age_60_or_over_not_met"]


def test_elderly_allowance_unknown_birth_date_needs_information():
    r = result("elderly_allowance", {"household": POOR_VERIFIED})
    assert r["status"] == "needs_information"
    assert codes(r["reasons"]) == ["age_60_or_over_unknown"]


# --- Pregnancy and child cash: 23/24 months, rates before and after 1 August 2023 ----------------


def mother(**person):
    return {"sex": "female", "pregnant": False, **person}


@pytest.mark.parametrize(
    ("child_born", "status"),
    [("2023-11-22", "eligible"), ("2023-11-21", "not_eligible"), ("2025-11-21", "eligible")],
)
def test_pregnancy_child_cash_child_under_24_months(child_born, status):
    # no other child under 2 in the household: her own child decides
    facts = {
        "person": mother(),
        "household": {**POOR_VERIFIED, "child_under_2": False},
        "children": [{"birth_date": child_born}],
    }
    r = result("pregnancy_child_cash", facts)
    assert r["status"] == status
    if status == "not_eligible":
        assert codes(r["reasons"]) == ["pregnant_or_child_under_2_not_met"]
        assert r["payments"] == []


def test_pregnancy_child_cash_rates_from_1_august_2023():
    facts = {"person": mother(pregnant=True), "household": POOR_VERIFIED}
    r = result("pregnancy_child_cash", facts, datetime.date(2023, 8, 1))
    assert (r["status"], r["amount_riel"], r["frequency"]) == ("eligible", 80000, "per_event")
    assert [(p["event"], p["amount_riel"], p["max_count"], p["per"]) for p in r["payments"]] == [
        ("antenatal_visit", 80000, 4, "pregnancy"),
        ("delivery", 400000, 1, "child"),
        ("postnatal_visit", 80000, 10, "child"),
    ]
    assert all(p["text"] for p in r["payments"])


def test_pregnancy_child_cash_rates_until_31_july_2023():
    facts = {"person": mother(pregnant=True), "household": POOR_VERIFIED}
    r = result("pregnancy_child_cash", facts, datetime.date(2023, 7, 31))
    assert (r["status"], r["amount_riel"]) == ("eligible", 40000)
    payments = {p["event"]: p for p in r["payments"]}
    assert [
        payments[e]["amount_riel"] for e in ("antenatal_visit", "delivery", "postnatal_visit")
    ] == [
        40000,
        200000,
        40000,
    ]
    assert payments["delivery"]["note"]  # delivery had to be in a health facility


@pytest.mark.parametrize("employment", ["nssf_employee", "civil_servant", "public_contract_staff"])
def test_nssf_route_opens_on_1_august_2023_with_800000_delivery(employment):
    facts = {"person": mother(pregnant=True, employment=employment), "household": NO_CARD}
    before = result("pregnancy_child_cash", facts, datetime.date(2023, 7, 31))
    assert before["status"] == "not_eligible"
    after = result("pregnancy_child_cash", facts, datetime.date(2023, 8, 1))
    assert after["status"] == "eligible"
    delivery = next(p for p in after["payments"] if p["event"] == "delivery")
    assert delivery["amount_riel"] == 800000
    assert "formal_sector_worker_met" in codes(after["reasons"])


def test_pregnancy_child_cash_is_for_women():
    facts = {
        "person": {"sex": "male"},
        "household": POOR_VERIFIED,
        "children": [{"birth_date": "2025-01-01"}],
    }
    r = result("pregnancy_child_cash", facts)
    assert r["status"] == "not_eligible"
    assert codes(r["reasons"]) == ["woman_not_met"]


def test_pregnancy_child_cash_informal_worker_without_card_gets_both_reasons():
    facts = {"person": mother(pregnant=True, employment="informal"), "household": NO_CARD}
    r = result("pregnancy_child_cash", facts)
    assert r["status"] == "not_eligible"
    assert codes(r["reasons"]) == ["idpoor_level_1_or_2_not_met", "formal_sector_worker_not_met"]
    assert codes(r["next_steps"]) == ["idpoor_on_demand"]


def test_pregnancy_child_cash_self_declared_poor_is_likely_but_nssf_member_is_eligible():
    facts = {
        "person": mother(pregnant=True, employment="informal"),
        "household": POOR_SELF_DECLARED,
    }
    assert result("pregnancy_child_cash", facts)["status"] == "likely_eligible"
    facts["person"]["employment"] = "nssf_employee"
    assert result("pregnancy_child_cash", facts)["status"] == "eligible"


def test_a_grandmother_caring_for_a_grandchild_under_2_in_a_poor_household():
    grandmother = {"birth_date": "1960-03-01", "sex": "female", "pregnant": False}
    facts = {
        "person": grandmother,
        "household": {**POOR_VERIFIED, "child_under_2": True},
        "children": [],
    }
    r = result("pregnancy_child_cash", facts)
    assert r["status"] == "eligible"
    assert codes(r["reasons"])[-1] == "pregnant_or_child_under_2_met"
    assert result("nssf_maternity_allowance", facts)["status"] == "not_eligible"  # not her birth
    facts["household"]["child_under_2"] = False
    assert result("pregnancy_child_cash", facts)["status"] == "not_eligible"


def test_own_child_is_unknown_but_the_household_child_decides():
    facts = {"person": mother(), "household": {**POOR_VERIFIED, "child_under_2": True}}
    assert result("pregnancy_child_cash", facts)["status"] == "eligible"


def test_a_mother_whose_household_is_not_known_to_have_another_child_needs_information():
    facts = {
        "person": mother(),
        "household": POOR_VERIFIED,
        "children": [{"birth_date": "2023-01-01"}],
    }
    r = result("pregnancy_child_cash", facts)
    assert r["status"] == "needs_information"
    assert codes(r["reasons"]) == ["pregnant_or_child_under_2_unknown"]


def test_the_nssf_route_counts_only_her_own_children():
    nssf_aunt = mother(employment="nssf_employee")
    facts = {
        "person": nssf_aunt,
        "household": {**NO_CARD, "child_under_2": True},
        "children": [],
    }
    assert result("pregnancy_child_cash", facts)["status"] == "not_eligible"
    facts["children"] = [{"birth_date": "2025-06-01"}]
    assert result("pregnancy_child_cash", facts)["status"] == "eligible"


def test_a_household_child_before_august_2023_counts_in_a_poor_household():
    facts = {"person": mother(), "household": {**POOR_VERIFIED, "child_under_2": True}}
    r = result("pregnancy_child_cash", facts, datetime.date(2023, 7, 31))
    assert (r["status"], r["amount_riel"]) == ("eligible", 40000)


def test_pregnancy_unknown_gives_needs_information():
    r = result("pregnancy_child_cash", {"person": {"sex": "female"}, "household": POOR_VERIFIED})
    assert r["status"] == "needs_information"
    assert codes(r["reasons"]) == ["pregnant_or_child_under_2_unknown"]


# --- Scholarship: attendance 79/80 %, grades and amounts -----------------------------------------


@pytest.mark.parametrize(
    ("grade", "attendance", "status", "amount"),
    [
        (8, 80, "eligible", 20000),
        (8, 79.9, "not_eligible", None),
        (8, 79, "not_eligible", None),
        (1, 100, "eligible", 20000),
        (9, 80, "eligible", 20000),
        (10, 80, "eligible", 30000),
        (12, 95, "eligible", 30000),
        (None, 95, "not_eligible", None),
    ],
)
def test_scholarship(grade, attendance, status, amount):
    person = {"school_grade": grade, "school_attendance_percent": attendance}
    r = result("scholarship", {"person": person, "household": POOR_VERIFIED})
    assert (r["status"], r["amount_riel"]) == (status, amount)
    if status == "eligible":
        assert r["frequency"] == "monthly"
        assert codes(r["next_steps"]) == ["register_at_school"]


def test_scholarship_low_attendance_names_the_rule_and_step():
    person = {"school_grade": 8, "school_attendance_percent": 79}
    r = result("scholarship", {"person": person, "household": POOR_VERIFIED})
    assert codes(r["reasons"]) == ["attendance_at_least_80_not_met"]
    assert codes(r["next_steps"]) == ["attend_school"]


def test_scholarship_not_enrolled_needs_no_attendance():
    r = result("scholarship", {"person": {"school_grade": None}, "household": POOR_VERIFIED})
    assert r["status"] == "not_eligible"
    assert codes(r["reasons"]) == ["enrolled_grade_1_to_12_not_met"]


# --- Disability, HIV -----------------------------------------------------------------------------


def test_disability_allowance_and_card_benefits():
    card = {"person": {"disability_card": True}, "household": NO_CARD}
    assert result("disability_allowance", card)["status"] == "not_eligible"
    benefits = result("disability_card_benefits", card)
    assert benefits["status"] == "eligible"
    assert "amount_set_by_programme" not in codes(benefits["reasons"])  # not a cash benefit
    assert (
        result("disability_allowance", {**card, "household": POOR_VERIFIED})["status"] == "eligible"
    )
    no_card = result("disability_card_benefits", {"person": {"disability_card": False}})
    assert no_card["status"] == "not_eligible"
    assert codes(no_card["next_steps"]) == ["get_disability_card"]


@pytest.mark.parametrize("programme", ["disability_card_benefits", "disability_allowance"])
def test_no_disability_card_advice_for_a_person_without_a_disability(programme):
    person = {"disability_card": False, "disability": False}
    r = result(programme, {"person": person, "household": POOR_VERIFIED})
    assert r["status"] == "not_eligible"
    assert "get_disability_card" not in codes(r["next_steps"])
    person["disability"] = True  # a disability but no card yet: how to get one
    r = result(programme, {"person": person, "household": POOR_VERIFIED})
    assert "get_disability_card" in codes(r["next_steps"])


@pytest.mark.parametrize(
    ("person", "household", "status"),
    [
        ({"living_with_hiv": True}, {}, "eligible"),
        ({"living_with_hiv": False}, {"member_living_with_hiv": True}, "eligible"),
        ({"living_with_hiv": False}, {"member_living_with_hiv": False}, "not_eligible"),
        ({"living_with_hiv": False}, {}, "needs_information"),
    ],
)
def test_hiv_allowance(person, household, status):
    r = result("hiv_allowance", {"person": person, "household": {**POOR_VERIFIED, **household}})
    assert r["status"] == status
    if status == "eligible":
        assert (r["amount_riel"], r["frequency"]) == (28000, "monthly")


# --- NSSF ----------------------------------------------------------------------------------------


def test_nssf_voluntary_health_is_a_cost_not_a_benefit():
    r = result("nssf_voluntary_health", {"person": {"employment": "self_employed"}})
    assert r["status"] == "eligible"
    assert r["amount_riel"] is None
    assert r["cost_riel"] == 15600
    assert "contribution_cost" in codes(r["reasons"])
    assert "15,600" in next(x["text"] for x in r["reasons"] if x["code"] == "contribution_cost")
    other = result("nssf_voluntary_health", {"person": {"employment": "nssf_employee"}})
    assert (other["status"], other["cost_riel"]) == ("not_eligible", None)


@pytest.mark.parametrize(
    ("months", "status"), [(9, "eligible"), (8, "not_eligible"), (12, "eligible")]
)
def test_nssf_maternity_allowance_contribution_months(months, status):
    person = {
        "sex": "female",
        "employment": "nssf_employee",
        "pregnant": True,
        "nssf_contribution_months_last_12": months,
    }
    assert result("nssf_maternity_allowance", {"person": person})["status"] == status


def test_nssf_maternity_allowance_recent_birth():
    person = {
        "sex": "female",
        "employment": "nssf_employee",
        "pregnant": False,
        "nssf_contribution_months_last_12": 12,
    }
    recent = {"person": person, "children": [{"birth_date": "2025-09-01"}]}
    assert result("nssf_maternity_allowance", recent)["status"] == "eligible"
    older = {"person": person, "children": [{"birth_date": "2025-08-21"}]}
    assert result("nssf_maternity_allowance", older)["status"] == "not_eligible"


@pytest.mark.parametrize(
    ("birth_date", "months", "pension", "refund"),
    [
        ("1965-11-21", 12, "eligible", "not_eligible"),
        ("1965-11-21", 11, "not_eligible", "eligible"),
        ("1965-11-22", 30, "not_eligible", "not_eligible"),
        ("1965-11-21", None, "needs_information", "needs_information"),
    ],
)
def test_nssf_pension_and_refund(birth_date, months, pension, refund):
    person = {"birth_date": birth_date, "employment": "nssf_employee"}
    if months is not None:
        person["nssf_pension_contribution_months"] = months
    assert result("nssf_old_age_pension", {"person": person})["status"] == pension
    refunded = result("nssf_pension_refund", {"person": person})
    assert refunded["status"] == refund
    if refund == "eligible":
        assert (refunded["frequency"], refunded["amount_riel"]) == ("once", None)


def test_nssf_pension_is_not_for_other_workers():
    person = {
        "birth_date": "1950-01-01",
        "employment": "civil_servant",
        "nssf_pension_contribution_months": 40,
    }
    r = result("nssf_old_age_pension", {"person": person})
    assert (r["status"], codes(r["reasons"])) == ("not_eligible", ["nssf_employee_not_met"])


# --- COVID-19 cash: ended ------------------------------------------------------------------------


def test_covid19_cash_ended_after_24_april_2024():
    facts = {"household": POOR_VERIFIED}
    last_day = result("covid19_cash", facts, datetime.date(2024, 4, 24))
    assert last_day["status"] == "eligible"
    for as_of in (datetime.date(2024, 4, 25), TODAY):
        r = result("covid19_cash", facts, as_of)
        assert r["status"] == "ended"
        assert (r["amount_riel"], r["frequency"]) == (None, None)
        assert codes(r["reasons"]) == ["programme_ended"]
        assert "24 April 2024" in r["reasons"][0]["text"]


def test_ended_is_only_for_ended_programmes():
    statuses = {r["programme"]: r["status"] for r in evaluate({}, TODAY)}
    assert [p for p, s in statuses.items() if s == "ended"] == ["covid19_cash"]
    assert set(statuses.values()) == {"needs_information", "ended"}


def test_nssf_pension_had_not_started_before_october_2022():
    person = {
        "birth_date": "1950-01-01",
        "employment": "nssf_employee",
        "nssf_pension_contribution_months": 40,
    }
    r = result("nssf_old_age_pension", {"person": person}, datetime.date(2022, 9, 30))
    assert (r["status"], codes(r["reasons"])) == ("not_eligible", ["programme_not_started"])
