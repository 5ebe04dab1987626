"""Applications in the words the back office shows: programme and place names,
who did what in the history, the eligibility the portal worked out, the
answers given, the applicant and the household's Equity Card.

Plain functions of the records the registry returned; nothing here calls the
registry.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import gazetteer
from portal.applications import offer, states
from portal.eligibility.rules import catalogue
from portal.i18n import current_language, format_date, format_digits, format_riel, format_spid
from portal.local_time import LOCAL_TIME, local_day

PHONE_DIGITS_SHOWN = 3
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

ELIGIBILITY = {
    "eligible": (_l("Eligible"), "green"),
    "likely_eligible": (_l("Probably eligible"), "green"),
    "not_eligible": (_l("Not eligible"), "red"),
    "needs_information": (_l("More information needed to tell"), "yellow"),
    "ended": (_l("The programme has ended"), "grey"),
}
ANSWERS = {
    "expected_delivery_date": _l("Expected delivery date"),
    "child_spid": _l("Child's SPID"),
    "school_name": _l("School"),
    "school_grade": _l("Grade"),
}
SEXES = {
    "male": _l("Male"),
    "female": _l("Female"),
    "other": _l("Other"),
    "unknown": _l("Not known"),
}
CHANNELS = {
    "web": _l("On this portal"),
    "officer": _l("At the commune office"),
    "sms": _l("By text message"),
    "call_centre": _l("By telephone"),
    "paper": _l("On paper"),
}
EVENTS = {
    "information_given": _l("The applicant gave information"),
    "internal_note": _l("Note"),
}
# Who acted, as staff see it: role words and the username (never shown to citizens).
ACTORS = {
    "citizen": _l("The applicant"),
    "portal": _l("This portal"),
    "officer": _l("Commune officer"),
    "programme_officer": _l("Programme officer"),
    "grievance_handler": _l("Grievance handler"),
    "grievance_supervisor": _l("Grievance supervisor"),
    "admin": _l("Administrator"),
    "system": _l("The registry"),
}


def script() -> str:
    return "km" if current_language() == "km" else "en"


def programme_name(programme_id: str | None) -> str:
    """A programme's name in the page's language (its id when it is not known)."""
    if programme_id == offer.IDPOOR_ASSESSMENT:
        return str(offer.IDPOOR_NAME)
    for programme in catalogue():
        if programme.id == programme_id:
            return programme.names[script()]
    return programme_id or ""


def place_name(place: gazetteer.Place | dict | None) -> str:
    if place is None:
        return ""
    if isinstance(place, dict):
        return place.get(f"name_{script()}") or place.get("name_km") or ""
    return place.name_km if script() == "km" else place.name_en


def commune_name(code: str | None) -> str:
    """The commune's name (its code when the gazetteer does not know it)."""
    if not code:
        return ""
    return place_name(gazetteer.commune(code)) or format_digits(code)


def village_words(code: str | None) -> str:
    """Village, commune, district, province."""
    path = gazetteer.village_path(code or "") if code else None
    if path is None:
        return format_digits(code) if code else ""
    levels = ("village", "commune", "district", "province")
    return ", ".join(place_name(path[level]) for level in levels if level in path)


def sent_on(application: dict) -> dt.date | None:
    """The day in Phnom Penh the application was sent."""
    return local_day(application.get("submitted_at") or application.get("created_at"))


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def days_waiting(application: dict, on: dt.date | None = None) -> int | None:
    """Whole days since submission (UTC days, as the "older than" filter counts
    them); None once the application is finished."""
    if application.get("status") in states.FINISHED:
        return None
    submitted = application.get("submitted_at") or application.get("created_at")
    if not submitted:
        return None
    day = dt.datetime.fromisoformat(submitted.replace("Z", "+00:00")).astimezone(dt.UTC).date()
    return max(0, ((on or today()) - day).days)


def actor_words(actor: str | None) -> str:
    """``programme_officer:dara.p`` → ``Programme officer dara.p``."""
    prefix, _sep, rest = (actor or "").partition(":")
    words = ACTORS.get(prefix)
    if words is None:
        return actor or ""
    if prefix in ("citizen", "portal", "system"):
        return str(words)
    return f"{words} {rest}".strip()


def reason_words(reason: str | None) -> str:
    if not reason:
        return ""
    if reason in states.REFUSAL_REASONS:
        return str(states.REFUSAL_REASONS[reason])
    if reason == states.INFORMATION_NEEDED:
        return _("Information needed")
    return reason


def history(application: dict) -> list[dict]:
    """Status changes and events, oldest first, ready to show."""
    entries = [*(application.get("history") or []), *(application.get("events") or [])]
    entries.sort(key=lambda entry: entry.get("at") or "")
    shown = []
    for entry in entries:
        moment = dt.datetime.fromisoformat((entry.get("at") or "").replace("Z", "+00:00"))
        if entry.get("kind") == "status_change":
            what, tone = states.words(entry.get("to_status"))
        else:
            what, tone = str(EVENTS.get(entry.get("kind"), entry.get("kind"))), "grey"
        shown.append(
            {
                "day": moment.astimezone(LOCAL_TIME).date(),
                "moment": moment,
                "who": actor_words(entry.get("actor")),
                "what": what,
                "tone": tone,
                "reason": reason_words(entry.get("reason")),
                "note": entry.get("note") or "",
            }
        )
    return shown


def eligibility(application: dict) -> dict | None:
    found = application.get("eligibility")
    if not found:
        return None
    words, tone = ELIGIBILITY.get(found.get("status"), (found.get("status", ""), "grey"))
    return {
        "words": str(words),
        "tone": tone,
        "reasons": [reason.get("text", "") for reason in found.get("reasons") or []],
        "evaluated_on": found.get("evaluated_on"),
    }


def answers(application: dict) -> list[dict]:
    rows = []
    for key, value in (application.get("answers") or {}).items():
        if isinstance(value, str) and _ISO_DAY.match(value):
            shown = format_date(value)
        elif key.endswith("_spid") and isinstance(value, str):
            shown = format_digits(value)
        else:
            shown = format_digits(value) if isinstance(value, int | float) else str(value)
        rows.append({"key": str(ANSWERS.get(key, key)), "value": shown})
    return rows


def person_name(person: dict) -> str:
    """Khmer name, with the Latin spelling beside it."""
    khmer = person.get("name_km") or {}
    latin = person.get("name") or {}
    km = " ".join(filter(None, (khmer.get("surname"), khmer.get("given_name"))))
    en = " ".join(filter(None, (latin.get("surname"), latin.get("given_name"))))
    if km and en:
        return f"{km} ({en})"
    return km or en


def phone_ending(person: dict) -> str:
    """Only the last digits of the first phone: enough to check with the person."""
    phones = person.get("phone_number") or []
    if not phones:
        return ""
    return _("ending in %(digits)s", digits=format_digits(phones[0][-PHONE_DIGITS_SHOWN:]))


def birth_words(person: dict) -> str:
    born = person.get("birth_date")
    if not born:
        return ""
    if person.get("birth_date_estimated"):
        return _("%(year)s (year only)", year=format_digits(born[:4]))
    return format_date(born)


def applicant_rows(person: dict | None) -> list[dict]:
    if person is None:
        return []
    address = person.get("address") or {}
    return [
        {"key": _("Name"), "value": person_name(person)},
        {"key": _("SPID"), "value": format_spid(person.get("spid"))},
        {"key": _("Sex"), "value": str(SEXES.get(person.get("sex"), person.get("sex", "")))},
        {"key": _("Date of birth"), "value": birth_words(person)},
        {"key": _("Village"), "value": village_words(address.get("village_code"))},
        {"key": _("Phone"), "value": phone_ending(person) or _("No phone")},
    ]


def equity_card_rows(household: dict | None) -> list[dict]:
    card = (household or {}).get("idpoor")
    if not card:
        return []
    if card.get("verified_at"):
        verified = _("Verified on %(day)s", day=format_date(card["verified_at"]))
    elif card.get("self_declared"):
        verified = _("Told by the household, not verified")
    else:
        verified = _("Not verified")
    return [
        {"key": _("Level"), "value": format_digits(card.get("level", ""))},
        {"key": _("Valid until"), "value": format_date(card.get("expiry")) or _("Not known")},
        {"key": _("Verified"), "value": verified},
    ]


def period_words(period: str) -> str:
    """``2026-03`` → ``March 2026`` (in the page's language)."""
    try:
        first = dt.date.fromisoformat(f"{period}-01")
    except ValueError:
        return format_digits(period)
    return format_date(first).split(" ", 1)[-1]


def payments(application: dict) -> list[list[str]]:
    return [
        [
            format_date(payment.get("paid_on")),
            period_words(payment.get("period", "")),
            format_riel(payment.get("amount_riel")),
            payment.get("provider_reference") or "",
        ]
        for payment in application.get("payments") or []
    ]
