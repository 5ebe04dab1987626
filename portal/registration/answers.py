"""A registration in progress, kept in the session until it is sent: the
answers by step, the household's members, and the record ids chosen once at
the start (so a registration sent twice is the same registration).
"""

from __future__ import annotations

import uuid
from collections.abc import MutableMapping

from portal.registration import places

KEY = "registration"
MAX_MEMBERS = 20  # a household bigger than this registers at the commune office

# The questions, in order. Each is answered once its answer is in `answers`
# (None for an optional question left empty).
STEPS = (
    "name",
    "latin-name",
    "sex",
    "birth-date",
    "national-id",
    *places.LEVELS,
    "disability",
    "household",
    "equity-card",
    "consent",
)


class Registration:
    """The answers so far, read from and written to the session."""

    def __init__(self, session: MutableMapping) -> None:
        self._session = session
        state = session.get(KEY) or {}
        self.answers: dict = state.get("answers", {})
        self.places: dict = state.get("places", {})
        self.members: list[dict] = state.get("members", [])
        self.ids: dict = state.get("ids") or {"person": str(uuid.uuid4())}

    @property
    def started(self) -> bool:
        return KEY in self._session

    def save(self) -> None:
        self._session[KEY] = {
            "answers": self.answers,
            "places": self.places,
            "members": self.members,
            "ids": self.ids,
        }

    def clear(self) -> None:
        self._session.pop(KEY, None)

    def record(self, step: str, value) -> None:
        self.answers[step] = value
        self.save()

    def choose_place(self, level: str, code: str) -> None:
        self.places = places.choose(self.places, level, code)
        self.save()

    def is_answered(self, step: str) -> bool:
        if step in places.LEVELS:
            return bool(self.places.get(step))
        return step in self.answers

    def next_step(self, skip: frozenset[str] = frozenset()) -> str | None:
        """The first question not yet answered (None: all are, check the answers)."""
        for step in STEPS:
            if step not in skip and not self.is_answered(step):
                return step
        return None

    def previous_step(self, step: str, skip: frozenset[str] = frozenset()) -> str | None:
        earlier = [s for s in STEPS[: STEPS.index(step)] if s not in skip]
        return earlier[-1] if earlier else None

    def save_member(self, index: int | None, member: dict) -> None:
        """Add a member (index None) or replace one; the household is then asked again."""
        if index is None:
            member["id"] = str(uuid.uuid4())
            self.members.append(member)
        else:
            member["id"] = self.members[index]["id"]
            self.members[index] = member
        self.answers.pop("household", None)
        self.save()

    def remove_member(self, index: int) -> None:
        del self.members[index]
        self.answers.pop("household", None)
        self.save()

    def member(self, index: int) -> dict | None:
        return self.members[index] if 0 <= index < len(self.members) else None
