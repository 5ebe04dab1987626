"""The registry's codes (sex, relationship, statuses, consent purposes) in
plain words, with the tone of the tag that shows them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SEX = {
    "female": _l("Woman"),
    "male": _l("Man"),
    "other": _l("Other"),
    "unknown": _l("Not known"),
}

RELATIONSHIP = {
    "head": _l("Head of the household"),
    "spouse": _l("Husband or wife"),
    "father": _l("Father"),
    "mother": _l("Mother"),
    "child": _l("Child"),
    "other": _l("Other member"),
    "unknown": _l("Not known"),
}

DISABILITY_LEVEL = {
    "mild": _l("Mild"),
    "moderate": _l("Moderate"),
    "severe": _l("Severe"),
    "very_severe": _l("Very severe"),
}

# Consent purposes: what the person agreed their details may be used for.
CONSENT_PURPOSE = {
    "registration": _l("Keep your details in the social protection registry"),
    "eligibility_assessment": _l("Check which programmes you can get"),
    "programme_enrolment": _l("Put you on a programme"),
    "data_sharing": _l("Share your details with other government services"),
    "sms_notifications": _l("Send you text messages"),
    "grievance_handling": _l("Deal with your complaints"),
}

# status → (words, tag tone); an application's: portal/applications/states.py,
# a grievance's: portal/grievances/states.py
CONSENT_STATE = {
    "given": (_l("You agreed"), "green"),
    "withdrawn": (_l("You took it back"), "grey"),
}


def status(table: dict, code: str | None) -> tuple[str, str]:
    """Words and tone for a status; an unknown one as recorded, in grey."""
    words, tone = table.get(code or "", (code or "", "grey"))
    return str(words), tone


def words(table: dict, code: str | None) -> str:
    return str(table.get(code or "", code or ""))
