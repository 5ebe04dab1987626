"""The screener's operations: keep the answers, pick the next question that
matters, and turn the engine's results into what the results page shows.

Answers live in the person's session under `screener`, as
`{"answers": {fact path: value}, "unknown": [fact paths]}`; nothing is stored
on the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from portal.eligibility import evaluate, programmes, questions_needed
from portal.eligibility.questions import BY_FACT, BY_SLUG, CHILD_BIRTH_DATE, CHILDREN, Question

SESSION_KEY = "screener"
# Adults are not asked about school: from this age the screener takes it that
# the person is not enrolled in grades 1 to 12.
SCHOOL_QUESTIONS_UNTIL_AGE = 25
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

    def _save(self) -> None:
        self._session[SESSION_KEY] = {"answers": self.answers, "unknown": self.unknown}

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
        self.answers, self.unknown = {}, []

    @property
    def started(self) -> bool:
        return bool(self.answers or self.unknown)

    def facts(self, as_of: dt.date | None = None) -> dict[str, Any]:
        """The answers as the engine's facts object (PROGRAMMES.md)."""
        facts: dict[str, Any] = {"person": {}, "household": {}}
        for path, value in self.answers.items():
            if path in (CHILDREN, CHILD_BIRTH_DATE):
                continue
            section, key = path.split(".", 1)
            facts[section][key] = value
            if path in SELF_DECLARED:
                verified_section, verified_key = SELF_DECLARED[path].split(".", 1)
                facts[verified_section][verified_key] = False
        if "person.school_grade" not in self.answers and self._adult(as_of or today()):
            facts["person"]["school_grade"] = None
        has_child = self.answers.get(CHILDREN)
        if has_child is False:
            facts["children"] = []
        elif has_child and CHILD_BIRTH_DATE in self.answers:
            facts["children"] = [{"birth_date": self.answers[CHILD_BIRTH_DATE]}]
        return facts

    def _adult(self, as_of: dt.date) -> bool:
        birth = self.answers.get("person.birth_date")
        if not birth:
            return False
        born = dt.date.fromisoformat(birth)
        age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
        return age >= SCHOOL_QUESTIONS_UNTIL_AGE

    def next_question(self, as_of: dt.date) -> Question | None:
        """The first question whose answer could still change a result."""
        for path in questions_needed(self.facts(as_of), as_of):
            if path in self.unknown:
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
        return [
            (question, self.answers.get(question.fact))
            for question in BY_SLUG.values()
            if question.fact in self.answers or question.fact in self.unknown
        ]


def grouped_results(facts: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The engine's results grouped as the results page shows them."""
    names = {programme["id"]: programme for programme in programmes()}
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
