"""Programme files: schema validation, errors naming file and field, metadata, texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_file
from eligibility_helpers import POOR_VERIFIED, TODAY, result
from flask import Flask
from flask_babel import Babel

from portal.eligibility import (
    ProgrammeFileError,
    load_programmes,
    messages,
    programme_ids,
    programmes,
    questions_needed,
)
from portal.eligibility.conditions import named_rules
from portal.eligibility.rules import PROGRAMMES_DIR, load_programme


def copy_programme(tmp_path: Path, name: str = "elderly_allowance") -> Path:
    target = tmp_path / f"{name}.yaml"
    shutil.copy(PROGRAMMES_DIR / f"{name}.yaml", target)
    return target


def edit(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProgrammeFileError) as caught:
        load_programmes(path.parent)
    return caught.value.problems


def test_bundled_programmes_load_and_validate():
    loaded = load_programmes()
    assert [p.id for p in loaded] == programme_ids()
    assert len(loaded) == 12
    for programme in loaded:
        assert programme.names["km"] and programme.names["en"]
        assert programme.confidence in {"P", "S", "U"}
        assert programme.sources


def test_a_copied_file_loads_on_its_own(tmp_path):
    assert load_programme(copy_programme(tmp_path)).id == "elderly_allowance"


def test_unknown_fact_names_file_and_field(tmp_path):
    path = copy_programme(tmp_path)
    edit(path, lambda d: d["conditions"][0].update(fact="foo"))
    assert problems_of(path) == [
        "elderly_allowance.yaml: conditions[0].fact: 'foo' is not a known fact"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("names"), "elderly_allowance.yaml: (top): 'names' is a required property"),
        (
            lambda d: d["names"].pop("km"),
            "elderly_allowance.yaml: names: 'km' is a required property",
        ),
        (
            lambda d: d.update(confidence="X"),
            "elderly_allowance.yaml: confidence: 'X' is not one of",
        ),
        (
            lambda d: d["periods"][0].update(amount_riel=-5),
            "elderly_allowance.yaml: periods[0].amount_riel",
        ),
        (
            lambda d: d["periods"][0].update(to="2024-02-30"),
            "elderly_allowance.yaml: periods[0].to: '2024-02-30' is not a real date",
        ),
        (
            lambda d: d["periods"][0].update(frequency="weekly"),
            "elderly_allowance.yaml: periods[0].frequency",
        ),
        (
            lambda d: d["conditions"][0].update(age_at_least="sixty"),
            "elderly_allowance.yaml: conditions[0].age_at_least: 'sixty' is not of type 'integer'",
        ),
        (
            lambda d: d["conditions"][0].update(python="__import__('os')"),
            "elderly_allowance.yaml: conditions[0]: Additional properties are not allowed",
        ),
        (
            lambda d: d["conditions"][0].update(rule="made_up"),
            "elderly_allowance.yaml: conditions: rule 'made_up' has no text in messages.py",
        ),
        (
            lambda d: d["documents"].append("passport"),
            "elderly_allowance.yaml: documents[3]: 'passport' has no text",
        ),
        (
            lambda d: d["next_steps"].update(eligible=["fly_away"]),
            "elderly_allowance.yaml: next_steps.eligible[0]: 'fly_away' has no text",
        ),
        (
            lambda d: d.update(id="old_people"),
            "elderly_allowance.yaml: id: 'old_people' does not match the file name",
        ),
    ],
)
def test_schema_and_meaning_errors_name_file_and_field(tmp_path, change, expected):
    path = copy_programme(tmp_path)
    edit(path, change)
    problems = problems_of(path)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_overlapping_periods_are_rejected(tmp_path):
    path = copy_programme(tmp_path, "pregnancy_child_cash")
    edit(path, lambda d: d["periods"][1].update({"from": "2023-07-31"}))
    assert problems_of(path) == [
        "pregnancy_child_cash.yaml: periods[1].from: periods must follow each other"
    ]


def test_broken_yaml_and_clashing_order_are_reported_for_every_file(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    copy_programme(tmp_path, "elderly_allowance")
    edit(copy_programme(tmp_path, "hiv_allowance"), lambda d: d.update(order=5))
    problems = problems_of(tmp_path / "broken.yaml")
    assert problems[0].startswith("broken.yaml: (top): not valid YAML")
    assert problems[1] == "hiv_allowance.yaml: order: 5 is also used by elderly_allowance.yaml"


def test_yaml_dates_stay_text_so_the_schema_sees_them(tmp_path):
    path = copy_programme(tmp_path, "covid19_cash")
    assert load_programme(path).ended_on.isoformat() == "2024-04-24"


# --- questions_needed and programmes() --------------------------------------------------------


def test_questions_needed_asks_only_what_can_change_a_result():
    everything = questions_needed({}, TODAY)
    assert everything[:3] == ["person.birth_date", "person.sex", "household.idpoor_level"]
    assert "household.idpoor_verified" not in everything
    man = questions_needed({"person": {"sex": "male"}}, TODAY)
    assert "person.pregnant" not in man and "children" not in man
    assert "person.nssf_contribution_months_last_12" not in man
    no_card = questions_needed({"household": {"idpoor_level": None}}, TODAY)
    assert "household.equity_card_expiry" not in no_card
    assert "person.school_grade" not in no_card


def test_questions_needed_is_empty_when_every_result_is_decided():
    facts = {
        "person": {
            "birth_date": "1990-01-01",
            "sex": "male",
            "disability_card": False,
            "living_with_hiv": False,
            "school_grade": None,
            "employment": "informal",
        },
        "household": {"idpoor_level": None},
    }
    assert questions_needed(facts, TODAY) == []


def test_programmes_metadata_for_display():
    shown = programmes()
    assert [p["id"] for p in shown] == programme_ids()
    scholarship = next(p for p in shown if p["id"] == "scholarship")
    assert scholarship["name"] == "Family Package scholarship"
    assert scholarship["names"]["km"].startswith("ប្រាក់អាហារូបករណ៍")
    assert [d["code"] for d in scholarship["where_to_apply"]] == ["school"]
    assert "person.school_attendance_percent" in scholarship["facts"]
    assert next(p for p in shown if p["id"] == "covid19_cash")["ended_on"] == "2024-04-24"


# --- Texts: translatable, and in the request's language ---------------------------------------


def test_every_text_is_extractable_with_the_l_keyword():
    source = Path(messages.__file__)
    found = {
        message for _, message, _, _ in extract_from_file("python", source, keywords={"_l": None})
    }
    tables = [
        messages.STATUS_REASONS,
        messages.NEXT_STEPS,
        messages.DOCUMENTS,
        messages.PLACES,
        messages.PAYMENT_EVENTS,
        messages.PAYMENT_NOTES,
        messages.BENEFITS,
    ]
    texts = [text for table in tables for text in table.values()]
    texts += [text for triple in messages.REASONS.values() for text in triple]
    assert {text._args[0] for text in texts} <= found


def test_texts_follow_the_request_locale():
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: "km")
    with app.test_request_context():
        r = result("covid19_cash", {"household": POOR_VERIFIED})
        assert type(r["reasons"][0]["text"]) is str
        assert "២០២៤" in r["reasons"][0]["text"]  # Khmer digits in the date
        assert programmes()[0]["name"] == "មូលនិធិសមធម៌ (ព្យាបាលជំងឺដោយឥតគិតថ្លៃ)"


def test_next_steps_unless_leaves_the_steps_out_when_it_holds(tmp_path):
    path = copy_programme(tmp_path, "disability_card_benefits")
    programme = load_programme(path)
    [rule] = named_rules(programme.periods[0].condition)[:1]
    no_card = {"person.disability_card": False}
    assert rule.steps_if_false(no_card, TODAY) == ("get_disability_card",)
    no_disability = {**no_card, "person.disability": False}
    assert rule.steps_if_false(no_disability, TODAY) == ()
    assert "person.disability" in programme.facts


def test_next_steps_unless_must_be_a_condition(tmp_path):
    path = copy_programme(tmp_path, "disability_card_benefits")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "next_steps_unless: {fact: person.disability, eq: false}",
            "next_steps_unless: {fact: person.no_such_fact, eq: false}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProgrammeFileError, match=r"next_steps_unless.fact"):
        load_programme(path)
