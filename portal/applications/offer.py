"""What can be applied for on this portal: the programmes whose rule file has
an ``applications`` block, and the on-demand IDPoor assessment (not a benefit
of its own, so it has no rule file: it is routed to the person's commune,
whose IDPoor team visits the household).

Everything else is shown with where to apply instead (e.g. NSSF offices).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.eligibility.messages import DOCUMENTS, PLACES
from portal.eligibility.rules import catalogue

IDPOOR_ASSESSMENT = "idpoor_assessment"
IDPOOR_NAME = _l("On-demand IDPoor assessment")
IDPOOR_GIVES = _l(
    "The commune's IDPoor team visits your household and decides if it gets an Equity "
    "Card. With the card you can get free health care and cash programmes."
)
IDPOOR_BY = _l("Your commune office and the Ministry of Planning")
IDPOOR_DOCUMENTS = ("national_id", "birth_certificate")
IDPOOR_DUE_DAYS = 30


@dataclass(frozen=True)
class Offer:
    """A programme (or the IDPoor assessment) one can apply for here."""

    id: str
    documents: tuple[str, ...]  # codes of eligibility.messages.DOCUMENTS
    places: tuple[str, ...]  # codes of eligibility.messages.PLACES
    documents_within_days: int
    questions: tuple[str, ...]  # codes of portal/applications/questions.py
    has_rules: bool  # evaluated by the eligibility engine

    def document_names(self) -> list[str]:
        return [str(DOCUMENTS[code]) for code in self.documents]

    def place_names(self) -> list[str]:
        return [str(PLACES[code]) for code in self.places]


def offers() -> dict[str, Offer]:
    """Every offer, by id, in the order of the programme table (IDPoor last)."""
    found = {
        programme.id: Offer(
            id=programme.id,
            documents=programme.documents,
            places=programme.where_to_apply,
            documents_within_days=programme.applications.documents_within_days,
            questions=programme.applications.questions,
            has_rules=True,
        )
        for programme in catalogue()
        if programme.applications is not None
    }
    found[IDPOOR_ASSESSMENT] = Offer(
        id=IDPOOR_ASSESSMENT,
        documents=IDPOOR_DOCUMENTS,
        places=("commune_office",),
        documents_within_days=IDPOOR_DUE_DAYS,
        questions=(),
        has_rules=False,
    )
    return found


def offer(programme_id: str) -> Offer | None:
    return offers().get(programme_id)


def programme_ids() -> list[str]:
    """Every id an application may carry (the back office's programme scopes too)."""
    return [programme.id for programme in catalogue()] + [IDPOOR_ASSESSMENT]
