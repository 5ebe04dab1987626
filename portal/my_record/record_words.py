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
    "assisted_service": _l("Help at the commune office"),
}

# What withdrawing a consent means, one honest sentence per purpose.
WITHDRAWAL_MEANING = {
    "registration": _l(
        "Your record stays in the registry, as the law requires, but programmes stop "
        "using it for new decisions, and you may no longer get help that needs it."
    ),
    "eligibility_assessment": _l(
        "Your details will no longer be used to check which programmes you can get."
    ),
    "programme_enrolment": _l(
        "Your details will no longer be used to put you on a programme, "
        "so you may not get help from new programmes."
    ),
    "data_sharing": _l("Programmes can no longer receive your details from the registry."),
    "sms_notifications": _l(
        "You will no longer get text messages about your record, applications and "
        "complaints. Sign-in codes still come by text when you ask for one."
    ),
    "grievance_handling": _l(
        "The complaints team can no longer use your details to deal with your complaints."
    ),
    "assisted_service": _l(
        "The commune office can no longer act for you on this portal. "
        "You can still go there to ask for help."
    ),
}
WITHDRAWAL_MEANING_OTHER = _l("The registry will write down that you no longer agree to this.")

# status → (words, tag tone); an application's: portal/applications/states.py,
# a grievance's: portal/grievances/states.py
CONSENT_STATE = {
    "given": (_l("You agreed"), "green"),
    "withdrawn": (_l("You took it back"), "grey"),
    # a withdrawal received by the portal, not yet in the registry
    "being_sent": (_l("Taking it back: being sent"), "yellow"),
}


def status(table: dict, code: str | None) -> tuple[str, str]:
    """Words and tone for a status; an unknown one as recorded, in grey."""
    words, tone = table.get(code or "", (code or "", "grey"))
    return str(words), tone


def words(table: dict, code: str | None) -> str:
    return str(table.get(code or "", code or ""))


def withdrawal_meaning(purpose: str | None) -> str:
    return str(WITHDRAWAL_MEANING.get(purpose or "", WITHDRAWAL_MEANING_OTHER))
