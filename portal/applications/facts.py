"""The eligibility side of an application: the engine's facts from what the
registry knows, what the person told the screener and what they answer here;
which fact the programme still lacks (only those are asked); the result, and
the result as it is stored with the application.

Precedence: the registry's verified facts, then this application's answers,
then the screener's answers, then what the person told the registry before
(a self-declared Equity Card). No registry or outbox call here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale

from portal.applications.draft import Draft
from portal.applications.questions import CHILD, CHILD_BIRTH_DATE, FOR_WHOM, PREGNANT
from portal.eligibility import evaluate_programme, questions_needed
from portal.eligibility.questions import BY_FACT, BY_SLUG, CHILDREN, Question
from portal.eligibility.questions import CHILD_BIRTH_DATE as SCREENER_CHILD_BIRTH_DATE
from portal.eligibility.rules import catalogue
from portal.eligibility.services import SESSION_KEY as SCREENER_KEY
from portal.eligibility.services import Screener

VERIFIED = "household.idpoor_verified"
STORED_LANGUAGE = "km"  # the reasons staff read, as the person was shown them in Khmer


def answers_of(draft: Draft, screener: Screener) -> dict[str, Any]:
    """Every answer that stands for a fact the registry does not vouch for."""
    answers = {**draft.told, **screener.answers, **draft.facts}
    for path in [*draft.unknown, *draft.known]:
        answers.pop(path, None)
    return answers


def _combined(draft: Draft, screener: Screener) -> Screener:
    state = {"answers": answers_of(draft, screener), "unknown": draft.unknown, "known": draft.known}
    return Screener({SCREENER_KEY: state})


def engine_facts(draft: Draft, screener: Screener, as_of: dt.date) -> dict[str, Any]:
    """The engine's facts for this application (PROGRAMMES.md): a pregnancy,
    or the child applied for, count as said."""
    facts = _combined(draft, screener).facts(as_of)
    who = draft.answers.get(FOR_WHOM)
    if who == PREGNANT:
        facts["person"]["pregnant"] = True
    elif who == CHILD and draft.answers.get(CHILD_BIRTH_DATE):
        facts["children"] = [{"birth_date": draft.answers[CHILD_BIRTH_DATE]}]
        facts["household"]["child_under_2"] = True
    return facts


def next_question(
    draft: Draft, screener: Screener, programme: str, as_of: dt.date
) -> Question | None:
    """The first eligibility question this programme still needs answered:
    never a fact the registry knows, nor one answered (here or in the screener)."""
    facts = engine_facts(draft, screener, as_of)
    answers = answers_of(draft, screener)
    for path in questions_needed(facts, as_of, only=[programme]):
        if path in draft.known or path in draft.unknown:
            continue
        if path == CHILDREN and answers.get(CHILDREN) is True:
            birth_date = SCREENER_CHILD_BIRTH_DATE
            if birth_date not in answers and birth_date not in draft.unknown:
                return BY_SLUG["child-birth-date"]
            continue
        question = BY_FACT.get(path)
        if question is not None and path not in answers:
            return question
    return None


def may_ask(question: Question, draft: Draft, screener: Screener, programme: str) -> bool:
    """An eligibility question this application may show: one the programme
    reads and the registry does not vouch for."""
    if question.fact in draft.known:
        return False
    if question.fact == SCREENER_CHILD_BIRTH_DATE:
        return answers_of(draft, screener).get(CHILDREN) is True
    return question.fact in facts_read_by(programme)


def facts_read_by(programme: str) -> frozenset[str]:
    found = next((p for p in catalogue() if p.id == programme), None)
    return found.facts if found is not None else frozenset()


def result(programme: str, facts: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The engine's result for the programme, in the page's language."""
    return evaluate_programme(facts, as_of, programme)


def stored_result(programme: str, facts: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """What is kept with the application: status, reasons in Khmer, the day."""
    with force_locale(STORED_LANGUAGE):
        found = evaluate_programme(facts, as_of, programme)
    return {
        "status": found["status"],
        "reasons": [{"code": r["code"], "text": r["text"]} for r in found["reasons"]],
        "evaluated_on": as_of.isoformat(),
    }


def used_facts(programme: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Only the facts the programme reads (and whether the IDPoor level is
    verified): nothing else the person told the screener goes with it."""
    read = facts_read_by(programme)
    used: dict[str, Any] = {}
    for section in ("person", "household"):
        kept = {
            key: value
            for key, value in (facts.get(section) or {}).items()
            if f"{section}.{key}" in read
            or (f"{section}.{key}" == VERIFIED and "household.idpoor_level" in read)
        }
        if kept:
            used[section] = kept
    if CHILDREN in read and CHILDREN in facts:
        used[CHILDREN] = facts[CHILDREN]
    return used
