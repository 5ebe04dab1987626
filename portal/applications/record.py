"""The registry's application record for a draft: what the person answered,
the engine's facts used and the eligibility worked out again at submission
(with what the registry says then), and by when the documents are due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.applications import facts
from portal.applications.draft import Draft
from portal.applications.offer import Offer
from portal.applications.questions import (
    CHILD,
    CHILD_SPID,
    FOR_WHOM,
    own_questions,
)
from portal.eligibility.services import Screener


def documents_due_by(offer: Offer, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=offer.documents_within_days)


def own_answers(offer: Offer, draft: Draft) -> dict[str, Any]:
    """The answers to the programme's own questions that still apply."""
    answers: dict[str, Any] = {}
    for question in own_questions(offer, draft.answers):
        value = draft.answers.get(question.code)
        if value is None:
            continue
        answers[question.code] = value
        if question.code == FOR_WHOM and value == CHILD:
            answers[CHILD_SPID] = draft.answers.get(CHILD_SPID)
    return answers


def content_of(
    spid: str,
    draft: Draft,
    offer: Offer,
    screener: Screener,
    reference: str,
    day: dt.date,
    channel: str,
) -> dict[str, Any]:
    """The application as sent (update-or-create with the draft's id); ``channel``
    says whether the person applied here or was helped at the commune office."""
    content: dict[str, Any] = {
        "id": draft.id,
        "reference": reference,
        "programme_id": offer.id,
        "applicant_spid": spid,
        "household_id": draft.applicant.get("household_id"),
        "channel": channel,
        "answers": own_answers(offer, draft),
        "facts": {},
        "eligibility": None,
        "documents_due_by": documents_due_by(offer, day).isoformat(),
    }
    if offer.has_rules:
        engine_facts = facts.engine_facts(draft, screener, day)
        content["facts"] = facts.used_facts(offer.id, engine_facts)
        content["eligibility"] = facts.stored_result(offer.id, engine_facts, day)
    return content
