"""Citizen sign-in: by a code sent to the phone, or by the national digital ID.

After either, the session is linked to the citizen's registry record when
exactly one active person has that phone number (or national ID). When several
have it (a family sharing one phone), the session is linked to none of them:
the few facts needed to tell them apart are kept in the session as the
candidates, and the citizen chooses who they are at /me/choose.
"""

from __future__ import annotations

import datetime as dt
import logging

import phonenumbers
from flask import current_app, session

from portal.accounts import phone_codes
from portal.database import db
from portal.i18n import current_language
from portal.khmer import to_ascii_digits
from portal.notifications import SmsSendError, send_now
from portal.notifications.messages import login_code
from portal.registry.client import Actor
from portal.registry_access import registry
from portal.web.identity import Citizen, sign_in_citizen

logger = logging.getLogger("portal.accounts")
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
SLOT_WAIT = 2.0  # seconds a person may wait for room within the SMS provider's rate
SIGN_IN_ACTOR = Actor(actor="portal:sign-in", purpose="citizen sign-in", on_behalf_of="self")
# The people a phone number (or national ID) matched, when more than one did:
# [{"person_id", "spid", "name", "birth_year"}], nothing else about them.
CANDIDATES = "citizen_candidates"
MOST_CANDIDATES = 20  # people looked at for one number; a household has fewer


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cambodian_mobile(text: str) -> str | None:
    """A Cambodian mobile number in E.164, from what a person typed (Khmer digits,
    spaces, with or without 0 or +855), or None."""
    try:
        number = phonenumbers.parse(to_ascii_digits(text or ""), "KH")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 855 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def send_sign_in_code(phone_e164: str) -> str:
    """Send a new code by SMS, in the page's language; return the challenge id
    to keep in the session.

    Raises phone_codes.TooManyCodes or SmsSendError (the code is then withdrawn).
    Sent at once, not through the outbox: a code is worth something only in
    the minutes the person waits on the page, so when it cannot go now they
    are told, and ask again."""
    secret = current_app.config["SECRET_KEY"]
    issued = phone_codes.issue_code(db, secret, phone_e164, now())
    try:
        send_now(
            phone_e164,
            login_code(issued.code, current_language()),
            event=f"sign-in:{issued.challenge_id}",
            wait_for_slot=SLOT_WAIT,
        )
    except SmsSendError:
        phone_codes.withdraw_code(db, issued.challenge_id)
        logger.warning("sign-in code not sent: gateway error")
        raise
    return issued.challenge_id


def sign_in_with_code(challenge_id: str, phone_e164: str, code: str) -> Citizen:
    """Start the citizen's session after a right code; link their registry record.

    Raises phone_codes.CodeRejected. The code is used up only once the registry
    has answered, so after a registry outage the same code still works."""
    secret = current_app.config["SECRET_KEY"]
    phone_codes.check_code(db, secret, challenge_id, phone_e164, code, now())
    return _sign_in(
        "sms",
        "MOBILE",
        phone_e164,
        before=lambda: phone_codes.use_code(db, challenge_id, now()),
        phone=phone_e164,
    )


def _active_people(id_type: str, value: str) -> list[dict]:
    """The active persons with this phone number (or national ID)."""
    found = registry().search.by_id(id_type, value, actor=SIGN_IN_ACTOR, page_size=MOST_CANDIDATES)
    return [person for person in found.records if person.get("status", "active") == "active"]


def _khmer_name(person: dict) -> str:
    """Surname first, as Cambodians write it; the Latin name when there is no Khmer one."""
    name = person.get("name_km") or person.get("name") or {}
    return " ".join(part for part in (name.get("surname"), name.get("given_name")) if part)


def _candidate(person: dict) -> dict:
    birth_date = person.get("birth_date") or ""
    return {
        "person_id": person["id"],
        "spid": _spid(person),
        "name": _khmer_name(person),
        "birth_year": int(birth_date[:4]) if birth_date[:4].isdigit() else None,
    }


def candidates() -> list[dict]:
    """The people this session's phone (or national ID) matched, when several did."""
    return list(session.get(CANDIDATES) or [])


def _spid(person: dict) -> str | None:
    if person.get("spid"):
        return person["spid"]
    for identifier in person.get("identifier", []):
        if identifier.get("identifier_type") == "SPID":
            return identifier.get("identifier_value")
    return None


def _sign_in(method: str, id_type: str, value: str, before=None, **known) -> Citizen:
    people = _active_people(id_type, value)  # may raise RegistryUnavailable: nothing is used up
    if before is not None:
        before()
    person = people[0] if len(people) == 1 else None
    citizen = Citizen(
        method=method,
        person_id=person["id"] if person else None,
        spid=_spid(person) if person else None,
        **known,
    )
    sign_in_citizen(citizen)
    if len(people) > 1:
        session[CANDIDATES] = [_candidate(found) for found in people]
    logger.info(
        "citizen signed in (method=%s, linked=%s, candidates=%d)",
        method,
        person is not None,
        len(people) if len(people) > 1 else 0,
    )
    return citizen


def sign_in_with_national_id(national_id: str) -> Citizen:
    """Start the citizen's session after the digital ID; link their registry record."""
    return _sign_in("digital_id", "NIN", national_id, national_id=national_id)
