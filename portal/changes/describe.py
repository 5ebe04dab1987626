"""A change request in plain words: what was asked, its status and history,
and what the record says once it was approved. Works on the registry's
change-request content, so the check-your-answers page (before sending) and a
request's own page (after) say the same thing the same way."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from portal import gazetteer
from portal.changes import services
from portal.changes.kinds import (
    ANYTHING_ELSE,
    BABY_RELATIONSHIPS,
    MEMBER,
    SEXES,
    documents_of,
    status_words,
    title_of,
)
from portal.changes.services import name_of
from portal.i18n import format_date, format_digits, format_phone
from portal.local_time import local_day
from portal.registration.places import LEVELS, place_name
from portal.web.identity import Citizen

Row = dict  # {"key", "value", "step" (the question that asks it)}


def where(village_code: str | None) -> str:
    """ "Village, commune, district, province" in the page's language."""
    path = gazetteer.village_path(village_code or "")
    if path is None:
        return format_digits(village_code or "")
    return ", ".join(place_name(path[level]) for level in reversed(LEVELS) if level in path)


def _name(name: dict | None) -> str:
    name = name or {}
    return " ".join(filter(None, (name.get("surname"), name.get("given_name"))))


def asked_rows(change: dict, member_name: Callable[[str], str | None]) -> list[Row]:
    """What the request asks for, a row for each answer."""
    kind = change.get("request_type")
    proposed = change.get("proposed_changes") or {}
    rows: list[Row] = []
    if kind == "address":
        village = (proposed.get("address") or {}).get("village_code")
        rows.append({"key": _("Where you live now"), "value": where(village), "step": "province"})
    elif kind in ("phone_number", "link_phone"):
        numbers = proposed.get("phone_number") or []
        shown = ", ".join(format_phone(number) for number in numbers)
        rows.append({"key": _("New phone number"), "value": shown, "step": "phone"})
    elif kind == "name":
        rows.append(
            {"key": _("Name in Khmer"), "value": _name(proposed.get("name_km")), "step": "name"}
        )
        if proposed.get("name"):
            latin = _name(proposed.get("name"))
            rows.append({"key": _("Name in Latin letters"), "value": latin, "step": "name"})
    elif kind == "household_birth":
        relationship = BABY_RELATIONSHIPS.get(change.get("household_status") or "child", "")
        rows += [
            {"key": _("Baby's name"), "value": _name(proposed.get("name_km")), "step": "baby-name"},
            {
                "key": _("Girl or boy"),
                "value": str(SEXES.get(proposed.get("sex"), "")),
                "step": "baby-sex",
            },
            {
                "key": _("Date of birth"),
                "value": format_date(proposed.get("birth_date")),
                "step": "baby-birth-date",
            },
            {"key": _("Whose baby"), "value": str(relationship), "step": "baby-relationship"},
        ]
    elif kind in ("household_member_left", "death"):
        name = member_name(change.get("member_spid") or "")
        shown = name or _("A member of your household")
        rows.append({"key": _("Who"), "value": shown, "step": MEMBER})
    elif kind == "disability":
        card = (proposed.get("disability_card") or {}).get("card_number", "")
        rows.append(
            {"key": _("Disability card number"), "value": format_digits(card), "step": "card"}
        )
    elif kind == "birth_date" and proposed.get("birth_date"):
        rows.append({"key": _("Date of birth"), "value": format_date(proposed["birth_date"])})
    justification = change.get("justification")
    rows.append(
        {
            "key": _("Anything else"),
            "value": justification or _("Nothing"),
            "step": ANYTHING_ELSE,
        }
    )
    return rows


# Where a field the registry refused is asked (the first name that appears in its path).
_ASKED_AT = (
    ("member_spid", MEMBER),
    ("village_code", "province"),
    ("address", "province"),
    ("phone_number", "phone"),
    ("disability_card", "card"),
    ("justification", ANYTHING_ELSE),
    ("household_status", "baby-relationship"),
    ("birth_date", "baby-birth-date"),
    ("sex", "baby-sex"),
)


def refused_steps(fields: list[str], steps: tuple[str, ...]) -> list[str]:
    """The questions (of `steps`) whose answers the registry refused, in order."""
    found = set()
    for field in fields:
        step = next((step for name, step in _ASKED_AT if name in field), None)
        if step is None and "name" in field:
            step = "baby-name" if "baby-name" in steps else "name"
        if step in steps:
            found.add(step)
    return [step for step in steps if step in found]


def history_rows(change: dict) -> list[dict]:
    """The status history, oldest first: day, status in plain words, and the
    officer's reason (for a refusal) or note (for instance asking for a document)."""
    rows = []
    for entry in change.get("history") or []:
        status = entry.get("to_status")
        if entry.get("kind", "status_change") != "status_change" or not status:
            continue
        words, tone = status_words(status)
        reason = entry.get("reason") if status == "rejected" else None
        rows.append(
            {
                "day": local_day(entry.get("at")),
                "status": words,
                "tone": tone,
                "reason": reason,
                "note": entry.get("note"),
            }
        )
    return rows


def refusal_reason(change: dict) -> str | None:
    for entry in reversed(change.get("history") or []):
        if entry.get("to_status") == "rejected":
            return entry.get("reason")
    return None


def record_now_rows(
    change: dict, person: dict | None, person_name: Callable[[str], str | None]
) -> list[Row]:
    """What the citizen's record says now, for an approved request."""
    kind = change.get("request_type")
    if kind == "household_birth":
        name = person_name(change.get("new_person_spid") or "")
        if not name:
            return []
        return [{"key": _("In your household now"), "value": name}]
    if person is None:
        return []
    if kind == "address":
        village = (person.get("address") or {}).get("village_code")
        return [{"key": _("Where you live"), "value": where(village)}] if village else []
    if kind in ("phone_number", "link_phone"):
        numbers = ", ".join(format_phone(n) for n in person.get("phone_number") or [])
        return [{"key": _("Phone number"), "value": numbers}] if numbers else []
    if kind == "name":
        return [{"key": _("Name"), "value": name_of(person)}]
    if kind == "disability":
        card = (person.get("disability_card") or {}).get("card_number")
        return [{"key": _("Disability card number"), "value": format_digits(card)}] if card else []
    return []


def request_page(citizen: Citizen, change: dict) -> dict:
    """What a request's own page shows, for the citizen whose request it is."""
    status = change.get("status", "submitted")

    def person_name(spid: str) -> str | None:
        return services.person_name(citizen, spid)

    record_now = []
    if status == "approved":
        record_now = record_now_rows(change, services.person_or_none(citizen), person_name)
    undecided = status in ("submitted", "in_review")
    return {
        "change": change,
        "status": status_words(status),
        "title": title_of(change.get("request_type", "")),
        "reference": services.reference_for(change),
        "sent_on": local_day(change.get("created_at")),
        "applied_on": local_day(change.get("applied_at")),
        "rows": [
            {key: value for key, value in row.items() if key != "step"}
            for row in asked_rows(change, person_name)
        ],
        "record_now": record_now,
        "history": history_rows(change),
        "reason": refusal_reason(change),
        "documents": documents_of(change.get("request_type", "")) if undecided else [],
        "withdrawing": status == "submitted" and services.withdrawal_waiting(citizen, change["id"]),
    }
