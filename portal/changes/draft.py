"""The change in progress, kept in the citizen's session under one key until
it is sent, and the questions it is asked with (one a page).

`{"request_type": ..., "id": <uuid chosen now, the registry record's id>,
"answers": {step: {field: value}, "places": {level: code}}}`. Choosing another
kind of change starts a new draft; choosing the same one keeps the answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.changes import forms
from portal.changes.kinds import ANYTHING_ELSE, KINDS, MEMBER, ChangeKind
from portal.i18n import format_digits, format_phone
from portal.registration import places

SESSION_KEY = "change_request"
SENT_KEY = "change_request_sent"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type | None  # None: a place, asked with places.question()
    title: Any
    hint: Any = None
    kind: str = "text"  # text, radio, date, name, place, member, textarea


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step("province", None, _l("Which province do you live in now?"), kind="place"),
        Step("district", None, _l("Which district do you live in now?"), kind="place"),
        Step("commune", None, _l("Which commune do you live in now?"), kind="place"),
        Step("village", None, _l("Which village do you live in now?"), kind="place"),
        Step(
            "phone",
            forms.PhoneForm,
            _l("What is your new phone number?"),
            _l("We will send text messages about your social protection to this number."),
        ),
        Step(
            "name",
            forms.NameForm,
            _l("What is your name?"),
            _l("Write it as on your national ID card or birth certificate."),
            kind="name",
        ),
        Step("baby-name", forms.BabyNameForm, _l("What is the baby's name?"), kind="name"),
        Step("baby-sex", forms.BabySexForm, _l("Is the baby a girl or a boy?"), kind="radio"),
        Step(
            "baby-birth-date",
            forms.BabyBirthDateForm,
            _l("When was the baby born?"),
            _l("For example 14 3 2025"),
            kind="date",
        ),
        Step(
            "baby-relationship",
            forms.BabyRelationshipForm,
            _l("Whose baby is it?"),
            kind="radio",
        ),
        Step(MEMBER, forms.MemberForm, _l("Who is it?"), kind="member"),
        Step(
            "card",
            forms.CardForm,
            _l("What is the number on your disability card?"),
            _l("It is printed on the front of the card."),
        ),
        Step(
            ANYTHING_ELSE,
            forms.AnythingElseForm,
            _l("Is there anything else we should know? (optional)"),
            _l("For example when it happened. You can leave this empty."),
            kind="textarea",
        ),
    )
}


class Draft:
    """The change being asked for, in the person's session."""

    def __init__(self, session: MutableMapping[str, Any]):
        self._session = session
        state = session.get(SESSION_KEY) or {}
        self.request_type: str | None = state.get("request_type")
        self.id: str | None = state.get("id")
        self.answers: dict[str, Any] = dict(state.get("answers") or {})

    @property
    def kind(self) -> ChangeKind | None:
        return KINDS.get(self.request_type or "")

    @property
    def started(self) -> bool:
        return self.kind is not None and bool(self.id)

    def _save(self) -> None:
        self._session[SESSION_KEY] = {
            "request_type": self.request_type,
            "id": self.id,
            "answers": self.answers,
        }

    def start(self, request_type: str) -> None:
        if request_type != self.request_type or not self.id:
            self.request_type, self.id, self.answers = request_type, str(uuid.uuid4()), {}
            self._save()

    def clear(self) -> None:
        self._session.pop(SESSION_KEY, None)

    @property
    def places(self) -> dict:
        return dict(self.answers.get("places") or {})

    def record(self, step: str, values: dict) -> None:
        self.answers[step] = values
        self._save()

    def forget(self, step: str) -> None:
        self.answers.pop(step, None)
        self._save()

    def choose_place(self, level: str, code: str) -> None:
        self.answers["places"] = places.choose(self.places, level, code)
        self._save()

    def answered(self, step: str) -> bool:
        if step in places.LEVELS:
            return bool(self.places.get(step))
        return step in self.answers

    def first_unanswered(self) -> str | None:
        kind = self.kind
        if kind is None:
            return None
        return next((step for step in kind.steps if not self.answered(step)), None)

    def previous(self, step: str) -> str | None:
        steps = self.kind.steps if self.kind else ()
        index = steps.index(step) if step in steps else 0
        return steps[index - 1] if index else None

    def may_ask(self, step: str) -> bool:
        """A question of this kind of change whose questions before it are answered."""
        kind = self.kind
        if kind is None or step not in kind.steps:
            return False
        return all(self.answered(before) for before in kind.steps[: kind.steps.index(step)])

    def complete(self) -> bool:
        return self.started and self.first_unanswered() is None

    # What each question shows again when it is asked a second time.

    def shown_again(self, step: str) -> tuple[str, str] | None:
        """A number answer as the page shows it (Khmer digits on Khmer pages):
        (field name, text), for a question asked again."""
        values = self.answers.get(step) or {}
        if step == "phone" and values.get("phone_number"):
            return "phone_number", format_phone(values["phone_number"])
        if step == "card" and values.get("card_number"):
            return "card_number", format_digits(values["card_number"])
        return None

    def prefill(self, step: str) -> dict:
        values = dict(self.answers.get(step) or {})
        if step == "baby-birth-date" and values.get("birth_date"):
            values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
        values.pop("name", None)  # the chosen member's name, kept for the check page
        return values


def answers_of(step: str, form) -> dict:
    """What to keep of a valid form's answers."""
    if step == "phone":
        return {"phone_number": form.e164}
    if step == "baby-birth-date":
        return {"birth_date": form.birth_date.data.isoformat()}
    if step == MEMBER:
        spid = form.member_spid.data
        name = dict(form.member_spid.choices).get(spid, "")
        return {"member_spid": spid, "name": str(name)}
    return {
        name: value
        for name, value in form.data.items()
        if name != "csrf_token" and value not in (None, "")
    }
