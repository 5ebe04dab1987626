"""A grievance's states, in plain words, and what the reporter and staff may do next.

The registry holds the allowed transitions (portal/registry/server/grievances.py);
this module says what each state means to the person who reported, which
moves staff choose from, and the reporter's rights after a decision: say
whether they are satisfied, reopen once, or appeal, within 30 days.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

RECEIVED = "received"
ACKNOWLEDGED = "acknowledged"
INVESTIGATING = "investigating"
RESOLVED = "resolved"
REJECTED = "rejected"
CLOSED = "closed"
REOPENED = "reopened"
APPEALED = "appealed"

OPEN = frozenset({RECEIVED, ACKNOWLEDGED, INVESTIGATING, REOPENED})
DECIDED = frozenset({RESOLVED, REJECTED})
# After a decision: the reporter may still reopen or appeal (within the time).
AFTER_DECISION = frozenset({RESOLVED, REJECTED, CLOSED})
REOPEN_WITHIN_DAYS = 30

# state → (words for the reporter, tone of the tag)
WORDS = {
    RECEIVED: (_l("Received"), "blue"),
    ACKNOWLEDGED: (_l("Seen by the complaints team"), "blue"),
    INVESTIGATING: (_l("Being looked into"), "yellow"),
    RESOLVED: (_l("Decided"), "green"),
    REJECTED: (_l("Not taken up"), "red"),
    CLOSED: (_l("Closed"), "grey"),
    REOPENED: (_l("Opened again"), "yellow"),
    APPEALED: (_l("Appealed to a supervisor"), "yellow"),
    # States of older records.
    "in_progress": (_l("Being looked into"), "yellow"),
    "escalated": (_l("Sent to a supervisor"), "yellow"),
}

MEANINGS = {
    RECEIVED: _l("Your complaint reached the complaints team."),
    ACKNOWLEDGED: _l("The complaints team has read your complaint and will look into it."),
    INVESTIGATING: _l("Someone is finding out what happened."),
    RESOLVED: _l("A decision was made. Read it below."),
    REJECTED: _l("The team decided it cannot take up this complaint. Read why below."),
    CLOSED: _l("This complaint is finished."),
    REOPENED: _l("You opened this complaint again. The team will look at it again."),
    APPEALED: _l("You asked a supervisor to look at the decision again."),
}

# Decision codes → plain words.
DECISIONS = {
    "upheld": _l("You were right: it will be put right"),
    "partly_upheld": _l("You were partly right"),
    "not_upheld": _l("No fault was found"),
    "referred": _l("Sent to another office that can deal with it"),
    "withdrawn": _l("Withdrawn by the person who reported it"),
}

# The moves a handler or supervisor chooses from, by the case's state. Reopening
# and appealing are the reporter's; "closed" after a decision is staff's too.
STAFF_MOVES = {
    RECEIVED: (ACKNOWLEDGED, INVESTIGATING, RESOLVED, REJECTED),
    ACKNOWLEDGED: (INVESTIGATING, RESOLVED, REJECTED),
    INVESTIGATING: (RESOLVED, REJECTED),
    REOPENED: (INVESTIGATING, RESOLVED, REJECTED),
    RESOLVED: (CLOSED,),
    REJECTED: (CLOSED,),
    APPEALED: (CLOSED,),
    CLOSED: (),
}


def words(state: str | None) -> tuple[str, str]:
    """Words and tone for a state; an unknown one as recorded, in grey."""
    found = WORDS.get(state or "")
    if found is None:
        return state or "", "grey"
    return str(found[0]), found[1]


def meaning(state: str | None) -> str:
    found = MEANINGS.get(state or "")
    return str(found) if found is not None else ""


def decision_words(code: str | None) -> str:
    found = DECISIONS.get(code or "")
    return str(found) if found is not None else (code or "")


def _decided_on(case: dict) -> dt.date | None:
    decided_at = case.get("decided_at")
    if not decided_at:
        return None
    return dt.datetime.fromisoformat(decided_at.replace("Z", "+00:00")).date()


def _within_time(case: dict, today: dt.date) -> bool:
    decided = _decided_on(case)
    return decided is not None and (today - decided).days <= REOPEN_WITHIN_DAYS


def reopened_before(case: dict) -> bool:
    return any(entry.get("to_status") == REOPENED for entry in case.get("history") or [])


def was_appealed(case: dict) -> bool:
    """The reporter appealed the decision (the case may since be closed)."""
    return case.get("status") == APPEALED or any(
        entry.get("to_status") == APPEALED for entry in case.get("history") or []
    )


def may_say_satisfied(case: dict) -> bool:
    """After a decision, once: the reporter says whether they are satisfied."""
    return case.get("status") in DECIDED and case.get("satisfied") is None


def may_reopen(case: dict, today: dt.date) -> bool:
    """Once, within 30 days of the decision."""
    return (
        case.get("status") in AFTER_DECISION
        and not reopened_before(case)
        and _within_time(case, today)
    )


def may_appeal(case: dict, today: dt.date) -> bool:
    """Within 30 days of the decision; an appeal is not appealed again."""
    return (
        case.get("status") in AFTER_DECISION
        and not case.get("appeal_of")
        and _within_time(case, today)
    )


def may_add_information(case: dict) -> bool:
    return case.get("status") in OPEN
