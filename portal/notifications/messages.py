"""The text messages we send, in the person's language (Khmer unless they
chose English). Each names the service and carries no personal data beyond
a reference number.

Khmer needs UCS-2: 70 characters fit one message, 67 each part of a longer
one. No message may need more than two parts; `parts()` counts them and the
tests measure every message with realistic values.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext, lazy_gettext

from portal.i18n import format_date
from portal.khmer import readable_reference, spid_groups

SEGMENT = 70
MAX_PARTS = 2
# GSM 03.38 basic characters: texts made only of these travel 160 per message.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def parts(text: str) -> int:
    """How many SMS parts the network needs for `text`."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENDED for char in text):
        septets = len(text) + sum(char in _GSM_EXTENDED for char in text)
        return 1 if septets <= 160 else -(-septets // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= SEGMENT else -(-units // 67)


def _checked(text: str) -> str:
    if parts(text) > MAX_PARTS:
        raise ValueError(f"a text message needs {parts(text)} parts; at most {MAX_PARTS} allowed")
    return text


def login_code(code: str, language: str = "km") -> str:
    """The sign-in code. Latin digits, so phones can offer to fill the code in."""
    with force_locale(language):
        text = gettext("Social protection: your code is %(code)s. Do not share it.", code=code)
    if parts(text) > 1:
        raise ValueError("the sign-in text message no longer fits one part")
    return text


def submission_received(reference: str, language: str) -> str:
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: we received what you sent. Reference: %(reference)s. "
                "Keep this message.",
                reference=readable_reference(reference),
            )
        )


def submission_delivered(reference: str, language: str) -> str:
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: %(reference)s is now recorded in the registry. "
                "Nothing more to do for now.",
                reference=readable_reference(reference),
            )
        )


def registered(spid: str, language: str) -> str:
    """The new Social Protection ID, grouped to read aloud (027 158 054 14)."""
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: you are registered. Your SPID is %(spid)s. Keep this message.",
                spid=spid_groups(spid),
            )
        )


def registration_received(reference: str, language: str) -> str:
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: we received your registration %(reference)s. "
                "Your SPID will come in another message.",
                reference=readable_reference(reference),
            )
        )


def acted_for_you(commune: str, language: str) -> str:
    """Sent when a commune officer starts acting for someone, so they can object."""
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: the commune office of %(commune)s is helping you on the "
                "portal today. If you did not agree, tell the commune office.",
                commune=commune,
            )
        )


# Each status of an application, grievance or change request, in plain words.
STATUS_WORDS = {
    "submitted": lazy_gettext("sent, waiting for review"),
    "in_review": lazy_gettext("being checked"),
    "information_requested": lazy_gettext("we need more information"),
    "documents_checked": lazy_gettext("documents checked"),
    "approved": lazy_gettext("approved"),
    "rejected": lazy_gettext("not approved"),
    "refused": lazy_gettext("not approved"),
    "enrolled": lazy_gettext("enrolled in the programme"),
    "withdrawn": lazy_gettext("withdrawn"),
    "received": lazy_gettext("received"),
    "in_progress": lazy_gettext("being handled"),
    "escalated": lazy_gettext("sent to a supervisor"),
    "resolved": lazy_gettext("resolved"),
    "closed": lazy_gettext("closed"),
}


def status_changed(reference: str, status: str, language: str, on: str | None = None) -> str:
    """`reference` is now `status` (a key of STATUS_WORDS); `on`, an ISO date, says since when."""
    with force_locale(language):
        values = {"reference": readable_reference(reference), "status": str(STATUS_WORDS[status])}
        if on is None:
            text = gettext("Social protection: %(reference)s is now: %(status)s.", **values)
        else:
            text = gettext(
                "Social protection: on %(date)s, %(reference)s became: %(status)s.",
                date=format_date(on),
                **values,
            )
        return _checked(text)


def change_decided(reference: str, approved: bool, language: str) -> str:
    """The commune office confirmed or refused a change request (or a request
    to link a phone to a record)."""
    with force_locale(language):
        if approved:
            text = gettext(
                "Social protection: the commune office approved your request %(reference)s. "
                "Your record is updated.",
                reference=readable_reference(reference),
            )
        else:
            text = gettext(
                "Social protection: the commune office refused your request %(reference)s. "
                "See why on the portal or ask the commune office.",
                reference=readable_reference(reference),
            )
        return _checked(text)
