"""The screener's operations: keep the answers, pick the next question that
matters, and turn the engine's results into what the results page shows.

Answers live in the person's session under `screener`, as
`{"answers": {fact path: value}, "unknown": [fact paths]}`; nothing is stored
on the server.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import MutableMapping
from typing import Any

from flask import current_app

from portal.eligibility import evaluate, programmes, questions_needed
from portal.eligibility.conditions import age_in_years
from portal.eligibility.questions import BY_FACT, BY_SLUG, CHILD_BIRTH_DATE, CHILDREN, Question
from portal.i18n import current_language
from portal.registry.client import Actor, RegistryError
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.eligibility")

SESSION_KEY = "screener"
# Adults are not asked about school: from this age the screener takes it that
# the person is not enrolled in grades 1 to 12.
SCHOOL_QUESTIONS_UNTIL_AGE = 25
# Ages (inclusive) at which a woman is asked if she is pregnant; outside them
# the screener takes it that she is not. Wide on purpose: girls of 12 can be
# pregnant, and a programme missed costs more than a question too many.
PREGNANCY_QUESTION_AGES = (12, 55)
# Asked if she has given birth to a child now under 2: the same ages, 2 years on.
OWN_BABY_QUESTION_AGES = (12, 57)
SELF_DECLARED = {"household.idpoor_level": "household.idpoor_verified"}
GROUPS = ("eligible", "likely_eligible", "not_now", "needs_information")


def today() -> dt.date:
    return dt.date.today()


class Screener:
    """The answers one person has given so far, kept in their session."""

    def __init__(self, session: MutableMapping[str, Any]):
        self._session = session
        state = session.get(SESSION_KEY) or {}
        self.answers: dict[str, Any] = dict(state.get("answers", {}))
        self.unknown: list[str] = list(state.get("unknown", []))
        # Facts the registry holds for a signed-in citizen: used, never asked.
        self.known: dict[str, Any] | None = state.get("known")

    def _save(self) -> None:
        self._session[SESSION_KEY] = {
            "answers": self.answers,
            "unknown": self.unknown,
            "known": self.known,
        }

    def use_registry_facts(self, facts: dict[str, Any]) -> None:
        self.known = facts
        self._save()

    def record(self, question: Question, value: Any) -> None:
        self.answers[question.fact] = value
        if question.fact in self.unknown:
            self.unknown.remove(question.fact)
        self._save()

    def record_unknown(self, question: Question) -> None:
        self.answers.pop(question.fact, None)
        if question.fact not in self.unknown:
            self.unknown.append(question.fact)
        self._save()

    def clear(self) -> None:
        self._session.pop(SESSION_KEY, None)
        self.answers, self.unknown, self.known = {}, [], None

    @property
    def started(self) -> bool:
        return bool(self.answers or self.unknown or self.known)

    def facts(self, as_of: dt.date | None = None) -> dict[str, Any]:
        """The answers as the engine's facts object (PROGRAMMES.md)."""
        facts: dict[str, Any] = {"person": {}, "household": {}}
        known = self.known or {}
        answered = [
            item
            for path, value in self.answers.items()
            for item in self._engine_facts(path, value).items()
        ]
        for path, value in [*answered, *known.items()]:
            section, key = path.split(".", 1)
            facts[section][key] = value
            if path in SELF_DECLARED and path not in known:
                verified_section, verified_key = SELF_DECLARED[path].split(".", 1)
                facts[verified_section][verified_key] = False
        has_child = self.answers.get(CHILDREN)
        if has_child is False:
            facts["children"] = []
        elif has_child and CHILD_BIRTH_DATE in self.answers:
            facts["children"] = [{"birth_date": self.answers[CHILD_BIRTH_DATE]}]
        self._assume_what_fits(facts, as_of or today())
        return facts

    @staticmethod
    def _engine_facts(path: str, value: Any) -> dict[str, Any]:
        if path in (CHILDREN, CHILD_BIRTH_DATE):
            return {}
        question = BY_FACT.get(path)
        if question is not None and question.engine_facts is not None:
            return question.engine_facts(value)
        return {path: value}

    def _assume_what_fits(self, facts: dict[str, Any], as_of: dt.date) -> None:
        """What the screener takes as said instead of asking a question that
        does not fit the person: school for adults, pregnancy and a baby of her
        own outside the ages they can happen, her own baby when no child under 2
        lives in the household."""
        person, answers = facts["person"], self.answers
        age = self._age(as_of)
        if age is not None:
            if "person.school_grade" not in answers and age >= SCHOOL_QUESTIONS_UNTIL_AGE:
                person["school_grade"] = None
            low, high = PREGNANCY_QUESTION_AGES
            if "person.pregnant" not in answers and not low <= age <= high:
                person["pregnant"] = False
            low, high = OWN_BABY_QUESTION_AGES
            if CHILDREN not in answers and not low <= age <= high:
                facts["children"] = []
        if CHILDREN not in answers and answers.get("household.child_under_2") is False:
            facts["children"] = []

    def _age(self, as_of: dt.date) -> int | None:
        birth = (self.known or {}).get("person.birth_date") or self.answers.get("person.birth_date")
        return age_in_years(dt.date.fromisoformat(birth), as_of) if birth else None

    def next_question(self, as_of: dt.date) -> Question | None:
        """The first question whose answer could still change a result."""
        for path in questions_needed(self.facts(as_of), as_of):
            if path in self.unknown or path in (self.known or {}):
                continue
            if path == CHILDREN and self.answers.get(CHILDREN) is True:
                if CHILD_BIRTH_DATE not in self.answers and CHILD_BIRTH_DATE not in self.unknown:
                    return BY_SLUG["child-birth-date"]
                continue
            question = BY_FACT.get(path)
            if question is not None and path not in self.answers:
                return question
        return None

    def previous_question(self, current: Question) -> Question | None:
        """The answered question asked just before `current`, for the back link."""
        order = list(BY_SLUG)
        earlier = [
            question
            for question, _value in self.answered_questions()
            if order.index(question.slug) < order.index(current.slug)
        ]
        return earlier[-1] if earlier else None

    def answered_questions(self) -> list[tuple[Question, Any]]:
        """Each question answered or skipped, in asking order, with its value."""
        known = self.known or {}
        return [
            (question, self.answers.get(question.fact))
            for question in BY_SLUG.values()
            if question.fact not in known
            and (question.fact in self.answers or question.fact in self.unknown)
        ]

    def registry_answers(self) -> list[tuple[Question, Any]]:
        """The facts taken from the registry, as the questions they answer."""
        known = self.known or {}
        return [(q, known[q.fact]) for q in BY_SLUG.values() if q.fact in known]


def registry_facts(citizen: Citizen) -> dict[str, Any]:
    """What the registry knows of a signed-in citizen, as fact paths.

    Only facts the registry can vouch for: date of birth, sex, a disability
    card on record, and the household's IDPoor level when it was verified.
    """
    if citizen.person_id is None:
        return {}
    actor = Actor(
        actor=f"citizen:{citizen.spid}", purpose="eligibility check", on_behalf_of=citizen.spid
    )
    person = registry().persons.read(citizen.person_id, actor=actor)
    household = None
    if person.get("household_identifier"):
        household = registry().households.read(person["household_identifier"], actor=actor)
    return facts_of(person, household)


def facts_of(person: dict, household: dict | None) -> dict[str, Any]:
    """The facts a person's and their household's registry records vouch for
    (see ``registry_facts``)."""
    facts: dict[str, Any] = {}
    if person.get("birth_date"):
        facts["person.birth_date"] = person["birth_date"]
    if person.get("sex") in ("female", "male"):
        facts["person.sex"] = person["sex"]
    if person.get("disability_card"):
        facts["person.disability_card"] = True
    idpoor = (household or {}).get("idpoor") or {}
    if idpoor.get("verified_by"):
        facts["household.idpoor_level"] = idpoor.get("level")
        facts["household.idpoor_verified"] = True
        if idpoor.get("expiry"):
            facts["household.equity_card_expiry"] = idpoor["expiry"]
    return facts


def load_registry_facts(screener: Screener, citizen: Citizen | None) -> None:
    """Once per screening: take what the registry knows (a registry outage only
    means the person is asked instead)."""
    if citizen is None or screener.known is not None:
        return
    try:
        screener.use_registry_facts(registry_facts(citizen))
    except RegistryError as error:
        logger.warning("registry facts not loaded: %s", type(error).__name__)


def programmes_by_id() -> dict[str, dict[str, Any]]:
    """What pages show about each programme, by id, in the page's language:
    worked out once per app and language (a dozen programmes, a hundred texts),
    not on every results page. Read it; do not change it."""
    cache = current_app.extensions.setdefault("programmes_by_id", {})
    language = current_language()
    if language not in cache:
        cache[language] = {programme["id"]: programme for programme in programmes()}
    return cache[language]


def grouped_results(facts: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The engine's results grouped as the results page shows them."""
    names = programmes_by_id()
    groups: dict[str, list[dict]] = {group: [] for group in GROUPS}
    next_steps: dict[str, dict] = {}
    for result in evaluate(facts, as_of):
        entry = {**result, "programme_info": names[result["programme"]]}
        status = result["status"]
        group = "not_now" if status in ("not_eligible", "ended") else status
        groups[group].append(entry)
        if status != "ended":
            for step in result["next_steps"]:
                next_steps.setdefault(step["code"], step)
    return {"groups": groups, "next_steps": list(next_steps.values())}
