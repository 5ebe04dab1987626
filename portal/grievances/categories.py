"""What a grievance is about, in plain words, and which subjects are confidential.

Confidential subjects (staff conduct, fraud or bribery, abuse) go straight to a
supervisor: the commune's officer and handlers never see them (the registry
marks them confidential whatever the client says)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PAYMENT = "payment"
ELIGIBILITY = "eligibility"
REGISTRATION = "registration"
STAFF_CONDUCT = "staff_conduct"
FRAUD = "fraud"
ABUSE = "abuse"
OTHER = "other"

# In the order the report page lists them.
CATEGORIES = (PAYMENT, ELIGIBILITY, REGISTRATION, STAFF_CONDUCT, FRAUD, ABUSE, OTHER)
CONFIDENTIAL = frozenset({STAFF_CONDUCT, FRAUD, ABUSE})

_WORDS = {
    PAYMENT: _l("Payment not received, or the wrong amount"),
    ELIGIBILITY: _l("Left out of a programme, or wrongly refused"),
    REGISTRATION: _l("My data is wrong"),
    STAFF_CONDUCT: _l("How I was treated by staff"),
    FRAUD: _l("Asked to pay a bribe, or other fraud"),
    ABUSE: _l("Abuse or exploitation"),
    OTHER: _l("Something else"),
    # Subjects of older records, no longer offered.
    "service_quality": _l("The quality of the service"),
    "data_protection": _l("How my data was used"),
}

_HINTS = {
    PAYMENT: _l("Say which month, and how much you received, if anything."),
    ELIGIBILITY: _l("Say which programme, and what you were told."),
    REGISTRATION: _l("Say what is wrong, and what it should be."),
    STAFF_CONDUCT: _l("Say what happened, when and where. You may name the person."),
    FRAUD: _l("Say who asked, for how much, when and where."),
    ABUSE: _l("Say what happened, when and where. You do not have to give your name."),
    OTHER: _l("Say what happened, when and where."),
}


def is_confidential(category: str | None) -> bool:
    return category in CONFIDENTIAL


def words(category: str | None) -> str:
    """The subject in plain words; an unknown one as recorded."""
    found = _WORDS.get(category or "")
    return str(found) if found is not None else (category or "")


def hint(category: str | None) -> str:
    return str(_HINTS.get(category or "", _HINTS[OTHER]))
