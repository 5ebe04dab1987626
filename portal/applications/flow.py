"""The order of an application's pages: the programme's own questions, then
the eligibility facts it still lacks, then the documents and declaration,
then check your answers. Which question may be shown, and which comes
before it (for the back link)."""

from __future__ import annotations

from portal.applications import facts
from portal.applications.draft import Draft
from portal.applications.offer import Offer
from portal.applications.questions import (
    FACT_BY_SLUG,
    OwnQuestion,
    Step,
    order_of,
    own_questions,
)
from portal.eligibility.services import Screener

DOCUMENTS, CHECK = "documents", "check"


def next_step(draft: Draft, offer: Offer, screener: Screener, as_of) -> str | None:
    """The slug of the first question still to answer, or None."""
    for question in own_questions(offer, draft.answers):
        if question.code not in draft.answers:
            return question.slug
    if offer.has_rules:
        question = facts.next_question(draft, screener, offer.id, as_of)
        if question is not None:
            return question.slug
    return None


def next_page(draft: Draft, offer: Offer, screener: Screener, as_of) -> str:
    """A question's slug, DOCUMENTS (the declaration is still to make) or CHECK."""
    step = next_step(draft, offer, screener, as_of)
    if step is not None:
        return step
    return CHECK if draft.declared else DOCUMENTS


def may_ask(step: Step, draft: Draft, offer: Offer, screener: Screener) -> bool:
    """A question of this application whose questions before it are answered
    (an eligibility question only once the programme's own ones are)."""
    own = own_questions(offer, draft.answers)
    if isinstance(step, OwnQuestion):
        if step not in own:
            return False
        return all(q.code in draft.answers for q in own[: own.index(step)])
    if not offer.has_rules or any(q.code not in draft.answers for q in own):
        return False
    return facts.may_ask(step, draft, screener, offer.id)


def asked_here(draft: Draft, offer: Offer, screener: Screener) -> list[Step]:
    """The questions answered in this application, in asking order."""
    asked: list[Step] = [q for q in own_questions(offer, draft.answers) if q.code in draft.answers]
    if offer.has_rules:
        answered = set(draft.facts) | set(draft.unknown)
        asked += [
            question
            for question in FACT_BY_SLUG.values()
            if question.fact in answered and facts.may_ask(question, draft, screener, offer.id)
        ]
    return sorted(asked, key=lambda step: order_of(step.slug))


def previous_step(draft: Draft, offer: Offer, screener: Screener, slug: str | None) -> str | None:
    """The question answered just before `slug` (before the documents page
    when None), for the back link; None: the start page."""
    limit = order_of(slug) if slug else None
    earlier = [
        step.slug
        for step in asked_here(draft, offer, screener)
        if limit is None or order_of(step.slug) < limit
    ]
    return earlier[-1] if earlier else None
