"""The text messages a reporter gets about their grievance: its reference when
it is received, each change of state, each public reply. In their language
(Khmer unless they chose English), through the outbox, one message per event
(the key names the case's version), at most two parts. An anonymous report
without a phone gets none: the reporter follows it with the reference and PIN."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from portal import outbox
from portal.grievances import states
from portal.khmer import readable_reference
from portal.notifications.messages import MAX_PARTS, parts
from portal.registry.client import Actor

LANGUAGES = ("km", "en")


def _checked(text: str) -> str:
    if parts(text) > MAX_PARTS:
        raise ValueError(f"a grievance text message needs {parts(text)} parts")
    return text


def received_text(reference: str, language: str) -> str:
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: we received your complaint %(reference)s. "
                "Keep this number to follow it.",
                reference=readable_reference(reference),
            )
        )


def status_text(reference: str, state: str, language: str) -> str:
    with force_locale(language):
        words, _tone = states.words(state)
        return _checked(
            gettext(
                "Social protection: your complaint %(reference)s: %(state)s.",
                reference=readable_reference(reference),
                state=words,
            )
        )


def reply_text(reference: str, language: str) -> str:
    with force_locale(language):
        return _checked(
            gettext(
                "Social protection: there is a reply about your complaint %(reference)s. "
                "Open the portal's tracking page to read it.",
                reference=readable_reference(reference),
            )
        )


def contact_of(case: dict) -> tuple[str, str] | None:
    """The reporter's phone (E.164) and language, or None when they gave no phone."""
    complainant = case.get("complainant") or {}
    phone = complainant.get("contact_phone")
    if not phone:
        return None
    language = complainant.get("language")
    return phone, language if language in LANGUAGES else "km"


def tell(case: dict, what: str, actor: Actor) -> bool:
    """Text the reporter about ``case`` as it is now: ``what`` is "status" (its
    current state) or "reply" (a new public reply). Once per version of the
    case. False when there is no phone or the message waits for the worker."""
    contact = contact_of(case)
    if contact is None:
        return False
    phone, language = contact
    if what == "status":
        text = status_text(case["reference"], case["status"], language)
    elif what == "reply":
        text = reply_text(case["reference"], language)
    else:
        raise ValueError(f"no grievance text message for {what!r}")
    key = f"grievances/{case['id']}/{what}/{case['version']}"
    return outbox.send_text(key, phone, text, actor=actor, reference=case["reference"])
