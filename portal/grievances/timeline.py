"""What the reporter sees of their case's history: each change of state, the
team's public replies and the information they gave, oldest first.

Only what is meant for them: the registry's events also hold the staff's
internal notes, assignments and escalations, which are left out by kind (a
kind this module does not know is left out too). A note written with a change
of state is shown only when the reporter wrote it (their reason to reopen or
appeal): the team speaks to the reporter through public replies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.grievances import states
from portal.local_time import local_day

PUBLIC_REPLY = "public_reply"
INFORMATION_GIVEN = "information_given"
# The only events a reporter sees.
SHOWN_EVENTS = {
    PUBLIC_REPLY: (_l("Reply from the complaints team"), "blue"),
    INFORMATION_GIVEN: (_l("Information you added"), "grey"),
}
# Actors that are the reporter: the signed-in citizen, the public tracking page.
REPORTER_ACTORS = ("citizen:", "public:")
REASONS = {
    "satisfied": _l("You said you are satisfied with the decision"),
    "reopened_by_reporter": _l("You asked for it to be looked at again"),
    "appealed_by_reporter": _l("You appealed against the decision"),
}


@dataclass(frozen=True)
class Entry:
    day: dt.date | None
    words: str
    tone: str
    by_reporter: bool
    reason: str | None = None
    text: str | None = None


def by_reporter(entry: dict) -> bool:
    return (entry.get("actor") or "").startswith(REPORTER_ACTORS)


def entries(case: dict) -> list[Entry]:
    found: list[tuple[str, Entry]] = []
    for change in case.get("history") or []:
        status = change.get("to_status")
        if change.get("kind", "status_change") != "status_change" or not status:
            continue
        words, tone = states.words(status)
        mine = by_reporter(change)
        reason = REASONS.get(change.get("reason") or "") if mine else None
        entry = Entry(
            day=local_day(change.get("at")),
            words=words,
            tone=tone,
            by_reporter=mine,
            reason=str(reason) if reason else None,
            text=change.get("note") if mine else None,
        )
        found.append((change.get("at") or "", entry))
    for event in case.get("events") or []:
        shown = SHOWN_EVENTS.get(event.get("kind") or "")
        if shown is None:
            continue  # internal notes, assignments, escalations stay with the staff
        entry = Entry(
            day=local_day(event.get("at")),
            words=str(shown[0]),
            tone=shown[1],
            by_reporter=event.get("kind") == INFORMATION_GIVEN,
            text=event.get("note"),
        )
        found.append((event.get("at") or "", entry))
    return [entry for _at, entry in sorted(found, key=lambda pair: pair[0])]


def last_reply(case: dict) -> str | None:
    """The team's latest public reply (with a decision: its explanation)."""
    replies = [e for e in case.get("events") or [] if e.get("kind") == PUBLIC_REPLY]
    return replies[-1].get("note") if replies else None


def shows_decision(case: dict) -> bool:
    return bool(case.get("decision_code")) and case.get("status") in (
        states.RESOLVED,
        states.REJECTED,
        states.CLOSED,
        states.APPEALED,
    )
