"""The grievance being reported, kept in the person's (server-side) session
under one key until it is sent.

`{"id": <uuid chosen at the first answer: the registry record's id and the
outbox key's>, "category", "programme" (an id, or "none"), "description",
"places": {level: code}, "suggested": {level: code} (the signed-in person's
address, offered, never assumed), "contact": "mine" | "other" | "anonymous",
"phone" (E.164, for "other"), "pin" (anonymous: chosen once, so that sending
twice gives the same PIN)}`.

The pages are asked in STEPS order; `first_missing` says where a person who
skips ahead is sent back to.
"""

from __future__ import annotations

import uuid
from collections.abc import MutableMapping
from typing import Any

from portal.grievances import categories
from portal.outbox import keys
from portal.registration import places

SESSION_KEY = "grievance_draft"
SENT_KEY = "grievance_sent"

CATEGORY, PROGRAMME, WHAT_HAPPENED = "category", "programme", "what-happened"
PLACE_LEVELS = ("province", "district", "commune")
CONTACT, CONTACT_PHONE = "contact", "contact-phone"
STEPS = (CATEGORY, PROGRAMME, WHAT_HAPPENED, *PLACE_LEVELS, CONTACT, CONTACT_PHONE)

NO_PROGRAMME = "none"
MINE, OTHER, ANONYMOUS = "mine", "other", "anonymous"
CONTACTS = (MINE, OTHER, ANONYMOUS)
RECORD_TYPE = "grievances"


class ReportDraft:
    """The report being written, in the person's session."""

    def __init__(self, session: MutableMapping[str, Any]):
        self._session = session
        self.state: dict[str, Any] = dict(session.get(SESSION_KEY) or {})

    def _save(self) -> None:
        if not self.state.get("id"):
            self.state["id"] = str(uuid.uuid4())
        self._session[SESSION_KEY] = self.state

    def clear(self) -> None:
        self._session.pop(SESSION_KEY, None)
        self.state = {}

    @property
    def id(self) -> str | None:
        return self.state.get("id")

    @property
    def category(self) -> str | None:
        return self.state.get(CATEGORY)

    @property
    def confidential(self) -> bool:
        return categories.is_confidential(self.category)

    @property
    def programme(self) -> str | None:
        return self.state.get(PROGRAMME)

    @property
    def description(self) -> str | None:
        return self.state.get("description")

    @property
    def places(self) -> dict[str, str]:
        return dict(self.state.get("places") or {})

    @property
    def suggested(self) -> dict[str, str] | None:
        return self.state.get("suggested")

    @property
    def contact(self) -> str | None:
        return self.state.get(CONTACT)

    @property
    def phone(self) -> str | None:
        return self.state.get("phone")

    @property
    def anonymous(self) -> bool:
        return self.contact == ANONYMOUS

    @property
    def key(self) -> str:
        """The outbox key of this report: sending it twice is sending it once."""
        return keys.submission_key(RECORD_TYPE, keys.NEW, self.category or "", self.id or "")

    @property
    def application_id(self) -> str | None:
        """The signed-in person's refused application the report contests, if any."""
        return self.state.get("application_id")

    def contest(self, application: dict) -> None:
        """Start a report against the decision on one's own application."""
        self.state.update(
            {
                CATEGORY: "eligibility",
                PROGRAMME: application["programme_id"],
                "application_id": application["id"],
            }
        )
        self._save()

    def record(self, step: str, value: Any) -> None:
        self.state[step] = value
        self._save()

    def record_description(self, text: str) -> None:
        self.state["description"] = text
        self._save()

    def choose_place(self, level: str, code: str) -> None:
        self.state["places"] = places.choose(self.places, level, code)
        self._save()

    def suggest(self, codes: dict[str, str]) -> None:
        self.state["suggested"] = codes
        self._save()

    def codes_shown(self, level: str) -> dict[str, str]:
        """The codes a place page starts from: the answer given, else the
        suggested address when it lies under the place chosen one level up."""
        codes = self.places
        suggested = self.suggested or {}
        if not codes.get(level) and suggested.get(level):
            parent = places.parent_level(level)
            if parent is None or codes.get(parent) == suggested.get(parent):
                codes[level] = suggested[level]
        return codes

    def choose_contact(self, contact: str, phone: str | None = None) -> None:
        self.state[CONTACT] = contact
        if contact == OTHER and phone:
            self.state["phone"] = phone
        elif contact != OTHER:
            self.state.pop("phone", None)
        if contact != ANONYMOUS:
            self.state.pop("pin", None)
        self._save()

    def pin(self, new_pin) -> str:
        """The anonymous report's PIN: made once (``new_pin()``), kept until sent."""
        if not self.state.get("pin"):
            self.state["pin"] = new_pin()
            self._save()
        return self.state["pin"]

    def first_missing(self, own_phone: str | None) -> str | None:
        """The first question without an answer (None: ready to check).
        ``own_phone``: the signed-in person's phone, if any ("mine" needs it)."""
        if self.category not in categories.CATEGORIES:
            return CATEGORY
        if not self.programme:
            return PROGRAMME
        if not self.description:
            return WHAT_HAPPENED
        for level in PLACE_LEVELS:
            if not self.places.get(level):
                return level
        if self.contact not in CONTACTS or (self.contact == MINE and not own_phone):
            return CONTACT
        if self.contact == OTHER and not self.phone:
            return CONTACT_PHONE
        return None

    def may_ask(self, step: str, own_phone: str | None) -> bool:
        """Whether every question before ``step`` is answered."""
        missing = self.first_missing(own_phone)
        if step == CONTACT_PHONE:
            step = CONTACT  # asked after "another phone", or to change it
        return missing is None or STEPS.index(missing) >= STEPS.index(step)
