"""The application in progress, kept in the citizen's session under one key
until it is sent.

`{"programme": id, "id": <uuid chosen now, the registry record's id>,
"applicant": {what the registry said, shown and used, never asked},
"answers": {extra question code: value}, "facts": {fact path: answer},
"unknown": [fact paths answered "I do not know"], "declared": bool}`.

Starting another programme starts a new draft; coming back to the same one
keeps the answers. What the registry knows is read again at each start, and
again when the application is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "application_draft"
SENT_KEY = "application_sent"


class Draft:
    """The application being written, in the person's session."""

    def __init__(self, session: MutableMapping[str, Any]):
        self._session = session
        state = session.get(SESSION_KEY) or {}
        self.programme: str | None = state.get("programme")
        self.id: str | None = state.get("id")
        self.applicant: dict[str, Any] = dict(state.get("applicant") or {})
        self.answers: dict[str, Any] = dict(state.get("answers") or {})
        self.facts: dict[str, Any] = dict(state.get("facts") or {})
        self.unknown: list[str] = list(state.get("unknown") or [])
        self.declared: bool = bool(state.get("declared"))

    def _save(self) -> None:
        self._session[SESSION_KEY] = {
            "programme": self.programme,
            "id": self.id,
            "applicant": self.applicant,
            "answers": self.answers,
            "facts": self.facts,
            "unknown": self.unknown,
            "declared": self.declared,
        }

    def of(self, programme: str) -> bool:
        """Whether this is a draft for `programme` (started on its start page)."""
        return bool(self.id) and self.programme == programme and bool(self.applicant)

    def start(self, programme: str, applicant: dict[str, Any]) -> None:
        """Begin (or go on with) an application for `programme`, with what the
        registry says now about the applicant."""
        if programme != self.programme or not self.id:
            self.programme, self.id = programme, str(uuid.uuid4())
            self.answers, self.facts, self.unknown, self.declared = {}, {}, [], False
        self.applicant = applicant
        self._save()

    def clear(self) -> None:
        self._session.pop(SESSION_KEY, None)

    @property
    def known(self) -> dict[str, Any]:
        """The facts the registry vouches for: used, never asked."""
        return dict(self.applicant.get("known") or {})

    @property
    def told(self) -> dict[str, Any]:
        """Facts the person told the registry before (a self-declared Equity
        Card): used as their answers, not asked again."""
        return dict(self.applicant.get("told") or {})

    def record(self, code: str, value: Any) -> None:
        """An answer to one of the programme's own questions."""
        self.answers[code] = value
        self._save()

    def record_fact(self, path: str, value: Any) -> None:
        self.facts[path] = value
        if path in self.unknown:
            self.unknown.remove(path)
        self._save()

    def record_unknown(self, path: str) -> None:
        self.facts.pop(path, None)
        if path not in self.unknown:
            self.unknown.append(path)
        self._save()

    def declare(self) -> None:
        self.declared = True
        self._save()
