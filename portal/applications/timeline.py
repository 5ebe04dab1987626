"""An application's timeline in plain words: each step that happened, with
its day, who (an office, never a username) and the reason or note; the
answers the person gave; the steps still to come; each payment recorded.

"Approved" is never "paid": money shows only as the payments the programme
recorded. Internal notes of the staff are never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date as babel_format_date
from flask_babel import lazy_gettext as _l

from portal.applications import names, states
from portal.i18n import current_language, localise_digits
from portal.local_time import local_day

INFORMATION_GIVEN = "information_given"
APPEAL_WITHIN_DAYS = 30
ANSWERED = _l("You gave the information asked for")


@dataclass(frozen=True)
class Entry:
    day: dt.date | None
    words: str
    tone: str
    who: str
    reason: str | None = None
    note: str | None = None
    answer: str | None = None  # what the person told the office


@dataclass(frozen=True)
class Payment:
    paid_on: str
    period: str  # the month paid for, in words
    amount_riel: int


def _moment(entry: dict) -> str:
    return entry.get("at") or ""


def entries(application: dict) -> list[Entry]:
    """What happened, oldest first."""
    programme = application.get("programme_id", "")
    found: list[tuple[str, Entry]] = []
    for change in application.get("history") or []:
        status = change.get("to_status")
        if change.get("kind", "status_change") != "status_change" or not status:
            continue
        if change.get("reason") == INFORMATION_GIVEN:
            continue  # said by the answer itself, below
        words, tone = states.words(status)
        reason = states.REFUSAL_REASONS.get(change.get("reason") or "")
        entry = Entry(
            day=local_day(change.get("at")),
            words=words,
            tone=tone,
            who=names.who(change.get("actor"), programme),
            reason=str(reason) if reason and status == states.REFUSED else None,
            note=change.get("note"),
        )
        found.append((_moment(change), entry))
    for event in application.get("events") or []:
        if event.get("kind") != INFORMATION_GIVEN:
            continue  # internal notes stay with the staff
        entry = Entry(
            day=local_day(event.get("at")),
            words=str(ANSWERED),
            tone="blue",
            who=names.who(event.get("actor"), programme),
            answer=event.get("note"),
        )
        found.append((_moment(event), entry))
    return [entry for _moment_, entry in sorted(found, key=lambda pair: pair[0])]


def still_to_come(status: str) -> list[str]:
    """The steps of the honest path after the current one, in words."""
    current = states.RECEIVED if status == states.INFORMATION_REQUESTED else status
    if current not in states.PATH:
        return []
    return [states.words(step)[0] for step in states.PATH[states.PATH.index(current) + 1 :]]


def month_words(period: str) -> str:
    """ "2026-03" → "March 2026" (Khmer month and digits on Khmer pages)."""
    year, month = (int(part) for part in period.split("-"))
    day = dt.date(year, month, 1)
    return localise_digits(babel_format_date(day, "MMMM y", locale=current_language()))


def payments(application: dict) -> list[Payment]:
    """Each payment recorded, oldest first."""
    recorded = sorted(application.get("payments") or [], key=lambda p: p.get("paid_on") or "")
    return [
        Payment(payment["paid_on"], month_words(payment["period"]), payment["amount_riel"])
        for payment in recorded
    ]


def information_asked(application: dict) -> str | None:
    """What the office asked for when it last asked for more information."""
    for change in reversed(application.get("history") or []):
        if change.get("to_status") == states.INFORMATION_REQUESTED:
            return change.get("note")
    return None


def appeal_by(application: dict) -> dt.date | None:
    """The last day to appeal a refusal."""
    for change in reversed(application.get("history") or []):
        if change.get("to_status") == states.REFUSED:
            day = local_day(change.get("at"))
            return day + dt.timedelta(days=APPEAL_WITHIN_DAYS) if day else None
    return None
