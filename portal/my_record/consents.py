"""A person's consents: the short list /me shows, and withdrawing one.

Withdrawing goes through the outbox (stored first, delivered at once when the
registry answers, by the worker later when it does not), with the citizen as
actor, or the commune officer acting for them (`actor_for`). A consent is only
ever the signed-in person's own: read first, compared, never shown otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from portal import outbox
from portal.my_record import record_words
from portal.outbox import Submission, keys
from portal.registration.citizen import actor_for, owner_of
from portal.registry_access import registry
from portal.web.identity import Citizen

logger = logging.getLogger("portal.my_record")
CONSENT_PAGE_SIZE = 100  # the registry's largest page
MOST_CONSENT_PAGES = 10  # a person gives a few consents, not a thousand

PURPOSE = "consent"
RECORD_TYPE = "consents"
WITHDRAW = "withdraw"
GIVEN, WITHDRAWN = "given", "withdrawn"
# What the /me list shows for a consent whose withdrawal waits in the outbox.
BEING_SENT = "being_sent"


@dataclass(frozen=True)
class OwnConsent:
    """One of the person's consents, as the withdraw page needs it."""

    id: str
    purpose: str  # the registry's code
    state: str  # given, withdrawn, or being_sent (withdrawal waiting in the outbox)
    words: str  # the purpose in plain words
    meaning: str  # what withdrawing it means, in one sentence


def _actor(citizen: Citizen):
    return actor_for(citizen, PURPOSE)


def _key(consent_id: str) -> str:
    return keys.submission_key(RECORD_TYPE, WITHDRAW, "", consent_id)


def withdrawals_waiting(citizen: Citizen) -> set[str]:
    """Ids of the person's consents whose withdrawal is still in the outbox
    (one query for the whole list)."""
    waiting = set()
    for item in outbox.not_yet_delivered(owner_of(citizen)):
        if item.record_type == RECORD_TYPE and keys.parse(item.key, RECORD_TYPE, (WITHDRAW,)):
            waiting.add(item.record_id)
    return waiting


def listed(citizen: Citizen, consents: list[dict]) -> list[dict[str, Any]]:
    """The consents /me shows: purpose, state in plain words and tone, date,
    and whether it can be withdrawn from here."""
    waiting = withdrawals_waiting(citizen) if consents else set()
    return [_listed(consent, consent.get("id") in waiting) for consent in consents]


def _listed(consent: dict, withdrawal_waiting: bool) -> dict[str, Any]:
    state = consent.get("state")
    if withdrawal_waiting and state == GIVEN:
        state = BEING_SENT
    words, tone = record_words.status(record_words.CONSENT_STATE, state)
    return {
        "id": consent.get("id"),
        "purpose": record_words.words(record_words.CONSENT_PURPOSE, consent.get("purpose")),
        "state": words,
        "tone": tone,
        "date": {GIVEN: consent.get("collected_at"), WITHDRAWN: consent.get("withdrawn_at")}.get(
            state or ""
        ),
        "can_withdraw": state == GIVEN,
    }


def own_consent(citizen: Citizen, consent_id: str) -> OwnConsent | None:
    """The person's own consent with this id, or None (also when it is someone
    else's). A withdrawal still in the outbox is shown as being sent without
    asking the registry, so the page works while the registry is down."""
    if consent_id in withdrawals_waiting(citizen):
        return _own(consent_id, "", BEING_SENT)
    consent = _among_own_consents(citizen, consent_id)
    if consent is None:
        logger.info("a citizen asked for a consent that is not among theirs")
        return None
    return _own(consent_id, consent.get("purpose") or "", consent.get("state") or "")


def _among_own_consents(citizen: Citizen, consent_id: str) -> dict | None:
    """The consent with this id among the person's own (listed by their SPID),
    so that a guessed id of someone else's is never read (nor logged as read
    by this person in that other person's record)."""
    if not citizen.spid:
        return None
    client, actor = registry(), _actor(citizen)
    for page in range(1, MOST_CONSENT_PAGES + 1):
        found = client.consents.list(
            actor=actor, individual_spid=citizen.spid, page=page, page_size=CONSENT_PAGE_SIZE
        )
        for consent in found.results:
            if consent.get("id") == consent_id:
                return consent
        if found.next is None:
            return None
    return None


def _own(consent_id: str, purpose: str, state: str) -> OwnConsent:
    return OwnConsent(
        id=consent_id,
        purpose=purpose,
        state=state,
        words=record_words.words(record_words.CONSENT_PURPOSE, purpose),
        meaning=record_words.withdrawal_meaning(purpose),
    )


def withdraw(citizen: Citizen, consent: OwnConsent) -> Submission:
    """Withdraw a consent still given, through the outbox. Raises the registry's
    refusal when it refuses at once (it was withdrawn a moment ago)."""
    return outbox.submit(
        RECORD_TYPE,
        {"state": WITHDRAWN},
        actor=_actor(citizen),
        owner=owner_of(citizen),
        operation="update",
        record_id=consent.id,
        key=_key(consent.id),
    )
