"""The screener's questions, one a page, each tied to one fact of the engine.

The engine decides which facts still matter (`questions_needed`); this module
says how to ask for each one, how to store the answer as a fact, and how to
show it again on the check-your-answers page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.eligibility import forms
from portal.i18n import format_date, format_number

CHILDREN = "children"
CHILD_BIRTH_DATE = "child_birth_date"  # asked after "yes" to a child under 2
# Stored for the disability question: no card, and no disability either.
NO_DISABILITY = "no_disability"


@dataclass(frozen=True)
class Question:
    slug: str
    fact: str
    form: type
    title: Any
    hint: Any = None
    kind: str = "radio"  # radio, date, number, select
    to_fact: Callable[[Any], Any] = lambda answer: answer
    to_answer: Callable[[Any], Any] = lambda fact: fact
    shown: Callable[[Any], str] | None = None  # fact value → text on the check page
    # the engine's facts a stored answer stands for (None: {fact: value})
    engine_facts: Callable[[Any], dict[str, Any]] | None = None


def _yes_no(answer: str) -> bool:
    return answer == "yes"


def _from_bool(value: bool) -> str:
    return "yes" if value else "no"


def _choice_label(value: Any, form_class: type, answer: str | None = None) -> str:
    answer = _from_fact_to_choice(value) if answer is None else answer
    choices = form_class.answer.kwargs["choices"]
    return str(next((choice.label for choice in choices if choice.value == answer), value))


def _from_fact_to_choice(value: Any) -> str:
    if isinstance(value, bool):
        return _from_bool(value)
    return "none" if value is None else str(value)


_CARD_ANSWERS = {"card": True, "no_card": False, "none": NO_DISABILITY}
_CARD_CHOICES = {value: answer for answer, value in _CARD_ANSWERS.items()}


def _card(answer: str) -> bool | str:
    return _CARD_ANSWERS[answer]


def _card_choice(value: bool | str) -> str:
    return _CARD_CHOICES[value]


def _shown_card(value: bool | str) -> str:
    return _choice_label(value, forms.DisabilityQuestion, _card_choice(value))


def _card_facts(value: bool | str) -> dict[str, Any]:
    """A card means a disability; "no card" is a disability without one."""
    return {"person.disability_card": value is True, "person.disability": value != NO_DISABILITY}


def _date(answer: dt.date) -> str:
    return answer.isoformat()


def _to_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _shown_date(value: str) -> str:
    return format_date(value)


def _level(answer: str) -> int | None:
    return None if answer == "none" else int(answer)


def _grade(answer: str) -> int | None:
    return None if answer == "none" else int(answer)


def _shown_grade(value: int | None) -> str:
    if value is None:
        return str(_l("Not in school"))
    return str(_l("Grade %(grade)s", grade=format_number(value)))


def _days_to_percent(answer: str) -> int:
    return int(answer) * 10


def _percent_to_days(value: int) -> str:
    return str(round(value / 10))


def _shown_days(value: int) -> str:
    return str(_l("%(days)s of 10 days", days=format_number(round(value / 10))))


QUESTIONS: tuple[Question, ...] = (
    Question(
        "birth-date",
        "person.birth_date",
        forms.PastDateQuestion,
        _l("What is your date of birth?"),
        _l("For example 14 3 1990. If you do not know the day, enter 1."),
        kind="date",
        to_fact=_date,
        to_answer=_to_date,
        shown=_shown_date,
    ),
    Question("sex", "person.sex", forms.SexQuestion, _l("Are you a woman or a man?")),
    Question(
        "equity-card",
        "household.idpoor_level",
        forms.EquityCardQuestion,
        _l("Does your household have an Equity Card (IDPoor)?"),
        _l("The level, 1 or 2, is printed on the card."),
        to_fact=_level,
        to_answer=_from_fact_to_choice,
    ),
    Question(
        "equity-card-end",
        "household.equity_card_expiry",
        forms.DateQuestion,
        _l("Until when is your Equity Card valid?"),
        _l("The end date is printed on the card."),
        kind="date",
        to_fact=_date,
        to_answer=_to_date,
        shown=_shown_date,
    ),
    Question("work", "person.employment", forms.WorkQuestion, _l("What work do you do?")),
    Question(
        "pregnant",
        "person.pregnant",
        forms.YesNoQuestion,
        _l("Are you pregnant?"),
        to_fact=_yes_no,
        to_answer=_from_bool,
    ),
    Question(
        "child-in-household",
        "household.child_under_2",
        forms.YesNoQuestion,
        _l("Does a child under 2 years old live in your household?"),
        _l("Your own child, a grandchild, or another child you look after."),
        to_fact=_yes_no,
        to_answer=_from_bool,
    ),
    Question(
        "child-under-2",
        CHILDREN,
        forms.YesNoQuestion,
        _l("Have you given birth to a child who is now under 2 years old?"),
        to_fact=_yes_no,
        to_answer=_from_bool,
    ),
    Question(
        "child-birth-date",
        CHILD_BIRTH_DATE,
        forms.PastDateQuestion,
        _l("What is the date of birth of your youngest child?"),
        kind="date",
        to_fact=_date,
        to_answer=_to_date,
        shown=_shown_date,
    ),
    Question(
        "disability-card",
        "person.disability_card",
        forms.DisabilityQuestion,
        _l("Do you have a disability card from the Ministry of Social Affairs?"),
        to_fact=_card,
        to_answer=_card_choice,
        shown=_shown_card,
        engine_facts=_card_facts,
    ),
    Question(
        "hiv",
        "person.living_with_hiv",
        forms.YesNoQuestion,
        _l("Are you living with HIV?"),
        _l("Your answer is used only for this check and is not saved."),
        to_fact=_yes_no,
        to_answer=_from_bool,
    ),
    Question(
        "household-hiv",
        "household.member_living_with_hiv",
        forms.YesNoQuestion,
        _l("Is anyone in your household living with HIV?"),
        _l("Your answer is used only for this check and is not saved."),
        to_fact=_yes_no,
        to_answer=_from_bool,
    ),
    Question(
        "school",
        "person.school_grade",
        forms.SchoolGradeQuestion,
        _l("Are you in school? In which grade?"),
        kind="select",
        to_fact=_grade,
        to_answer=_from_fact_to_choice,
        shown=_shown_grade,
    ),
    Question(
        "school-days",
        "person.school_attendance_percent",
        forms.number_question(0, 10),
        _l("Out of 10 school days, on how many days do you go to school?"),
        _l("For example, if you miss 2 days out of 10, enter 8."),
        kind="number",
        to_fact=_days_to_percent,
        to_answer=_percent_to_days,
        shown=_shown_days,
    ),
    Question(
        "nssf-months",
        "person.nssf_contribution_months_last_12",
        forms.number_question(0, 12),
        _l("In the last 12 months, in how many months were NSSF contributions paid for you?"),
        _l("Your employer or the NSSF office can tell you."),
        kind="number",
        to_fact=int,
        to_answer=str,
        shown=format_number,
    ),
    Question(
        "pension-months",
        "person.nssf_pension_contribution_months",
        forms.number_question(0, 1200),
        _l("For how many months in all were NSSF pension contributions paid for you?"),
        _l("Pension contributions started in October 2022."),
        kind="number",
        to_fact=int,
        to_answer=str,
        shown=format_number,
    ),
)

BY_SLUG = {question.slug: question for question in QUESTIONS}
BY_FACT = {question.fact: question for question in QUESTIONS}


def shown_answer(question: Question, value: Any) -> str:
    """The answer as the check-your-answers page prints it."""
    if question.shown is not None:
        return question.shown(value)
    return _choice_label(value, question.form)
