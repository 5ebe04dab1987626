"""An application in plain words before it is sent: what the registry knows
(shown, never asked, not changeable here), what the person answered (each
with the question that asks it), and what the eligibility check says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.applications import facts
from portal.applications.draft import Draft
from portal.applications.offer import Offer
from portal.applications.questions import (
    CHILD,
    CHILD_BIRTH_DATE,
    CHILD_NAME,
    EXPECTED_DELIVERY_DATE,
    FOR_WHOM,
    PREGNANT,
    OwnQuestion,
    own_questions,
)
from portal.changes.describe import where
from portal.eligibility.questions import QUESTIONS, shown_answer
from portal.eligibility.services import Screener
from portal.i18n import current_language, format_date, format_digits, format_spid

Row = dict  # {"key", "value", "href" (optional)}

# The engine's status for a programme → (what the person reads, tag tone).
ELIGIBILITY = {
    "eligible": (_l("You can probably get it"), "green"),
    "likely_eligible": (_l("You may get it: an officer will check"), "yellow"),
    "needs_information": (_l("We cannot tell yet"), "blue"),
    "not_eligible": (_l("It may be refused"), "red"),
    "ended": (_l("This programme has ended"), "grey"),
}
FROM_SCREENER = _l("from your eligibility check")


def eligibility_words(status: str) -> tuple[str, str]:
    words, tone = ELIGIBILITY.get(status, (status, "grey"))
    return str(words), tone


def name_of(applicant: dict) -> str:
    khmer, latin = applicant.get("name_km") or "", applicant.get("name_latin") or ""
    if current_language() == "en" and latin:
        return f"{latin} ({khmer})" if khmer else latin
    return khmer or latin


def equity_card(card: dict | None, today: dt.date) -> str:
    if not card:
        return _("None on record")
    level = format_digits(card.get("level"))
    expiry = card.get("expiry")
    if not card.get("verified"):
        return _("Level %(level)s: you told us, not checked yet", level=level)
    if expiry and dt.date.fromisoformat(expiry) < today:
        return _("Level %(level)s, ended on %(date)s", level=level, date=format_date(expiry))
    if expiry:
        return _("Level %(level)s, valid until %(date)s", level=level, date=format_date(expiry))
    return _("Level %(level)s", level=level)


def registry_rows(applicant: dict, today: dt.date) -> list[Row]:
    """What the registry knows and the application uses."""
    rows = [
        {"key": _("Name"), "value": name_of(applicant)},
        {"key": _("Social Protection ID (SPID)"), "value": format_spid(applicant.get("spid"))},
    ]
    if applicant.get("birth_date"):
        rows.append({"key": _("Date of birth"), "value": format_date(applicant["birth_date"])})
    if applicant.get("village_code"):
        rows.append({"key": _("Where you live"), "value": where(applicant["village_code"])})
    rows.append(
        {"key": _("Equity Card (IDPoor)"), "value": equity_card(applicant.get("card"), today)}
    )
    return rows


def _own_value(question: OwnQuestion, answers: dict[str, Any]) -> str:
    value = answers.get(question.code)
    if question.code == FOR_WHOM:
        if value == PREGNANT:
            return _("I am pregnant")
        if value == CHILD:
            born = format_date(answers.get(CHILD_BIRTH_DATE))
            return _("%(name)s, born %(date)s", name=answers.get(CHILD_NAME, ""), date=born)
    if question.code == EXPECTED_DELIVERY_DATE:
        return format_date(value)
    return str(value or "")


def answer_rows(
    draft: Draft, offer: Offer, screener: Screener, href: Callable[[str], str]
) -> list[Row]:
    """Each answer the application uses, with a link to change it."""
    rows = [
        {"key": q.title, "value": _own_value(q, draft.answers), "href": href(q.slug)}
        for q in own_questions(offer, draft.answers)
        if q.code in draft.answers
    ]
    if not offer.has_rules:
        return rows
    answers = facts.answers_of(draft, screener)
    for question in QUESTIONS:
        if not facts.may_ask(question, draft, screener, offer.id):
            continue
        if question.fact in draft.unknown:
            value = _("I do not know")
        elif question.fact in draft.facts:
            value = shown_answer(question, answers[question.fact])
        elif question.fact in screener.answers and question.fact in answers:
            value = f"{shown_answer(question, answers[question.fact])} ({FROM_SCREENER})"
        else:
            continue  # not asked, or told to the registry before (shown with its records)
        rows.append({"key": question.title, "value": value, "href": href(question.slug)})
    return rows
