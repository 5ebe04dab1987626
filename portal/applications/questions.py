"""What an application asks beyond the eligibility facts, one question a page
(the codes a rule file lists under `applications.questions`), and the order
of every question an application may ask: these first, then the screener's
questions for the facts the programme still lacks.

`for_whom` (the pregnancy and early childhood cash): "I am pregnant" or one of
the household's children under 2 as the registry has them; a child not yet in
the registry is registered first (a change request), then applied for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.applications.offer import Offer
from portal.eligibility.questions import QUESTIONS as SCREENER_QUESTIONS
from portal.eligibility.questions import Question

FOR_WHOM = "for_whom"
EXPECTED_DELIVERY_DATE = "expected_delivery_date"
SCHOOL_NAME = "school_name"
PREGNANT = "pregnant"
CHILD = "child"
NOT_LISTED = "not_listed"
# Answers kept with for_whom = child: the child's SPID (sent), name and date
# of birth (shown on the check page; the date goes into the facts).
CHILD_SPID, CHILD_NAME, CHILD_BIRTH_DATE = "child_spid", "child_name", "child_birth_date"
# Months ahead an expected delivery date may be.
DELIVERY_WITHIN_MONTHS = 10


@dataclass(frozen=True)
class OwnQuestion:
    """A question of the programme's own (not an eligibility fact)."""

    code: str
    slug: str
    title: Any
    hint: Any = None
    kind: str = "text"  # for_whom, date, text


OWN_QUESTIONS: dict[str, OwnQuestion] = {
    question.code: question
    for question in (
        OwnQuestion(FOR_WHOM, "for-whom", _l("Who is this application for?"), kind=FOR_WHOM),
        OwnQuestion(
            EXPECTED_DELIVERY_DATE,
            "expected-delivery-date",
            _l("When is your baby expected?"),
            _l("The date the health centre told you, for example 14 3 2027."),
            kind="date",
        ),
        OwnQuestion(
            SCHOOL_NAME,
            "school-name",
            _l("What is the name of your school?"),
            _l("Write it as the school writes it, with its village or commune."),
        ),
    )
}
OWN_BY_SLUG = {question.slug: question for question in OWN_QUESTIONS.values()}
FACT_BY_SLUG = {question.slug: question for question in SCREENER_QUESTIONS}

Step = OwnQuestion | Question


def step_of(slug: str) -> Step | None:
    return OWN_BY_SLUG.get(slug) or FACT_BY_SLUG.get(slug)


def own_questions(offer: Offer, answers: dict[str, Any]) -> list[OwnQuestion]:
    """The offer's own questions that apply given the answers so far, in order:
    the expected delivery date only for a pregnancy."""
    asked = []
    for code in offer.questions:
        for_a_pregnancy = code == EXPECTED_DELIVERY_DATE and FOR_WHOM in offer.questions
        if for_a_pregnancy and answers.get(FOR_WHOM) != PREGNANT:
            continue
        if code in OWN_QUESTIONS:
            asked.append(OWN_QUESTIONS[code])
    return asked


def order_of(slug: str) -> int:
    """Where a question comes in an application: its own questions first."""
    slugs = [*OWN_BY_SLUG, *FACT_BY_SLUG]
    return slugs.index(slug) if slug in slugs else len(slugs)
