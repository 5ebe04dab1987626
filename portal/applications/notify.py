"""The text message an applicant gets on every change of their application:
the reference and the new state, or a payment with its amount, in their
language (Khmer unless they chose English), through the outbox, one message
per change (the key names the record's version), at most two parts."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from portal import outbox
from portal.applications import states
from portal.i18n import format_riel
from portal.khmer import readable_reference
from portal.notifications.messages import MAX_PARTS, parts
from portal.outbox import Recipient
from portal.registry.client import Actor


def checked(text: str) -> str:
    if parts(text) > MAX_PARTS:
        raise ValueError(f"an application text message needs {parts(text)} parts")
    return text


def status_text(reference: str, state: str, language: str) -> str:
    with force_locale(language):
        words, _tone = states.words(state)
        return checked(
            gettext(
                "Social protection: your application %(reference)s: %(state)s.",
                reference=readable_reference(reference),
                state=words,
            )
        )


def payment_text(reference: str, amount_riel: int, language: str) -> str:
    with force_locale(language):
        return checked(
            gettext(
                "Social protection: a payment of %(amount)s for %(reference)s is recorded.",
                amount=format_riel(amount_riel),
                reference=readable_reference(reference),
            )
        )


def tell_status(application: dict, person: dict, actor: Actor) -> bool:
    """Text the applicant the application's current state (once per version).
    False when the person has no phone or the message waits for the worker."""
    recipient = Recipient.of_person(person)
    if recipient is None:
        return False
    text = status_text(application["reference"], application["status"], recipient.language)
    key = f"applications/{application['id']}/status/{application['version']}"
    return outbox.send_text(key, recipient.phone, text, actor=actor)


def tell_payment(application: dict, payment: dict, person: dict, actor: Actor) -> bool:
    """Text the applicant one recorded payment (once per payment)."""
    recipient = Recipient.of_person(person)
    if recipient is None:
        return False
    text = payment_text(application["reference"], payment["amount_riel"], recipient.language)
    key = f"applications/{application['id']}/payment/{payment['id']}"
    return outbox.send_text(key, recipient.phone, text, actor=actor)
