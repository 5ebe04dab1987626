"""An application's states, in plain words, and who may move it where.

The registry holds the allowed transitions (portal/registry/server/applications.py);
this module says what each state means to the person who applied and which
staff role may make each move. "Approved" is never "paid": money shows only
when a payment is recorded (an enrolled application's payments).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SUBMITTED = "submitted"
RECEIVED = "received"
INFORMATION_REQUESTED = "information_requested"
DOCUMENTS_CHECKED = "documents_checked"
APPROVED = "approved"
REFUSED = "refused"
ENROLLED = "enrolled"
WITHDRAWN = "withdrawn"

# The honest path, in order, as the timeline shows the steps still to come.
PATH = (SUBMITTED, RECEIVED, DOCUMENTS_CHECKED, APPROVED, ENROLLED)
DECIDED = frozenset({APPROVED, REFUSED, ENROLLED})
FINISHED = frozenset({REFUSED, ENROLLED, WITHDRAWN})
# Open: not yet decided nor withdrawn. A second open application for the same
# programme and person is refused.
OPEN = frozenset({SUBMITTED, RECEIVED, INFORMATION_REQUESTED, DOCUMENTS_CHECKED})
WITHDRAWABLE = OPEN

# state → (words for the person, tone of the tag)
WORDS = {
    SUBMITTED: (_l("Sent"), "blue"),
    RECEIVED: (_l("Received by the commune office"), "blue"),
    INFORMATION_REQUESTED: (_l("We need more information"), "red"),
    DOCUMENTS_CHECKED: (_l("Documents checked"), "yellow"),
    APPROVED: (_l("Approved"), "green"),
    REFUSED: (_l("Not approved"), "red"),
    ENROLLED: (_l("Enrolled in the programme"), "green"),
    WITHDRAWN: (_l("Withdrawn"), "grey"),
}

# What each step means, said once on the timeline.
MEANINGS = {
    SUBMITTED: _l("Your application reached the registry."),
    RECEIVED: _l("The office has your application and will check your documents."),
    INFORMATION_REQUESTED: _l("The office needs something more from you before it can decide."),
    DOCUMENTS_CHECKED: _l("Your documents are checked. The programme will decide."),
    APPROVED: _l("You will be put on the programme. Money comes only after that."),
    REFUSED: _l("The programme decided not to approve your application."),
    ENROLLED: _l("You are on the programme. Each payment will show here."),
    WITHDRAWN: _l("You withdrew this application."),
}

# Refusal reasons: the code stored with the decision → plain words.
REFUSAL_REASONS = {
    "not_eligible": _l("The rules of the programme do not fit your situation."),
    "documents_missing": _l("The documents needed were not brought in time."),
    "information_not_given": _l("The information asked for was not given."),
    "already_receiving": _l("You already receive this support."),
    "duplicate": _l("Another application for the same support exists."),
    "other": _l("Another reason, written below."),
}
INFORMATION_NEEDED = "information_needed"

# Staff moves: (from states, to state, roles that may make it).
PROGRAMME_OFFICER = "programme_officer"
COMMUNE_OFFICER = "officer"
MOVES = {
    RECEIVED: ({SUBMITTED}, {COMMUNE_OFFICER, PROGRAMME_OFFICER}),
    DOCUMENTS_CHECKED: ({SUBMITTED, RECEIVED}, {COMMUNE_OFFICER, PROGRAMME_OFFICER}),
    INFORMATION_REQUESTED: ({SUBMITTED, RECEIVED, DOCUMENTS_CHECKED}, {PROGRAMME_OFFICER}),
    APPROVED: ({DOCUMENTS_CHECKED}, {PROGRAMME_OFFICER}),
    REFUSED: ({DOCUMENTS_CHECKED}, {PROGRAMME_OFFICER}),
    ENROLLED: ({APPROVED}, {PROGRAMME_OFFICER}),
}


def words(state: str | None) -> tuple[str, str]:
    """Words and tone for a state; an unknown one as recorded, in grey."""
    text, tone = WORDS.get(state or "", (state or "", "grey"))
    return str(text), tone


def may_move(role: str, current: str, target: str) -> bool:
    """Whether staff with ``role`` may move an application from ``current`` to ``target``."""
    move = MOVES.get(target)
    return move is not None and current in move[0] and role in move[1]


def moves_for(role: str, current: str) -> list[str]:
    """The states ``role`` may move an application in ``current`` to, in path order."""
    return [target for target in MOVES if may_move(role, current, target)]


def may_record_payment(role: str, current: str) -> bool:
    """Payments go on an enrolled application (recording the first enrols an approved one)."""
    return role == PROGRAMME_OFFICER and current in (APPROVED, ENROLLED)
