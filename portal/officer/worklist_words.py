"""The officer's work lists in plain words: what a change request asks (the
record now beside what is asked), its history, how long it waited, and the
officer's day. Plain functions of what the registry returned; nothing here
calls the registry."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.backoffice.describe import actor_words, birth_words, person_name
from portal.changes.describe import where
from portal.changes.kinds import BABY_RELATIONSHIPS, SEXES, status_words, title_of
from portal.i18n import format_date, format_digits, format_phone
from portal.local_time import LOCAL_TIME, local_day, today
from portal.notifications.messages import STATUS_WORDS

_SPID = re.compile(r"^[0-9]{11}$")

CLAIM_TITLE = _l("Link a phone to this person")
NOTHING = _l("Nothing")
IDENTIFIERS = {
    "NIN": _l("National ID"),
    "IDPOOR": _l("Equity Card"),
    "DISABILITY_CARD": _l("Disability card"),
    "PASSPORT": _l("Passport"),
    "BIRTH_CERTIFICATE": _l("Birth certificate"),
}
RECORDS = {
    "applications": _l("Application"),
    "grievances": _l("Grievance"),
    "change-requests": _l("Change request"),
    "consents": _l("Consent"),
    "persons": _l("Person's record"),
    "households": _l("Household"),
}
CREATED = {
    "applications": _l("Application sent"),
    "grievances": _l("Grievance reported"),
    "change-requests": _l("Change request sent"),
    "consents": _l("Consent recorded"),
    "persons": _l("Person registered"),
    "households": _l("Household registered"),
}
# States the text messages do not name (grievance steps, persons, consents).
MORE_STATES = {
    "acknowledged": _l("acknowledged"),
    "investigating": _l("being looked into"),
    "reopened": _l("reopened"),
    "appealed": _l("appealed"),
    "active": _l("active"),
    "inactive": _l("no longer active"),
    "given": _l("given"),
}
EVENTS = {
    "public_reply": _l("Replied to the person"),
    "internal_note": _l("Wrote a note"),
    "information_given": _l("Added information the person gave"),
    "assignment": _l("Assigned"),
    "escalation": _l("Sent to a supervisor"),
}
ACTIONS = {
    "read": _l("Opened a record"),
    "search": _l("Searched the registry"),
    "list": _l("Looked at a list"),
    "create": _l("Wrote a new record"),
    "update": _l("Changed a record"),
}
# Purposes the portal sends, as the officer chose or met them.
PURPOSES = {
    "officer search": _l("Finding a person"),
    "walk-in help": _l("Walk-in help"),
    "home visit": _l("Home visit"),
    "follow-up": _l("Follow-up"),
    "assisted service": _l("Recording the person's agreement"),
    "change request review": _l("Checking change requests"),
    "application review": _l("Checking applications"),
    "application decision": _l("Applications: a step or a payment"),
    "application": _l("An application for the person"),
    "registration": _l("Registering the person"),
    "duplicate check": _l("Checking no one is registered twice"),
    "change request": _l("A change request for the person"),
    "grievance": _l("A grievance for the person"),
    "my record": _l("The person's record"),
    "record claim": _l("Checking a record is the person's"),
}


def title(change: dict) -> str:
    if change.get("request_type") == "link_phone":
        return str(CLAIM_TITLE)
    return title_of(change.get("request_type", ""))


def days_waited(change: dict, on: dt.date | None = None) -> int:
    """Whole days (in Phnom Penh) since the request was sent."""
    sent = local_day(change.get("created_at"))
    return max(0, ((on or today()) - sent).days) if sent else 0


def _name(name: dict | None) -> str:
    name = name or {}
    return " ".join(filter(None, (name.get("surname"), name.get("given_name"))))


def _phones(numbers) -> str:
    return ", ".join(format_phone(number) for number in numbers or []) or str(NOTHING)


def _identifiers(items) -> str:
    shown = [
        f"{IDENTIFIERS.get(item.get('identifier_type'), item.get('identifier_type'))} "
        f"{format_digits(item.get('identifier_value', ''))}"
        for item in items or []
    ]
    return ", ".join(shown) or str(NOTHING)


def _card(value: dict | None) -> str:
    number = (value or {}).get("card_number")
    return format_digits(number) if number else str(NOTHING)


def _plain(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(inner) for inner in value)
    return format_digits(str(value)) if value is not None else str(NOTHING)


def _row(key, now, asked) -> dict:
    return {"key": str(key), "now": now, "asked": asked}


def compared_rows(change: dict, person: dict, member: dict | None) -> list[dict]:
    """What the request changes: the record now beside what is asked."""
    kind = change.get("request_type")
    proposed = change.get("proposed_changes") or {}
    if kind == "name":
        rows = [
            _row(_("Name in Khmer"), _name(person.get("name_km")), _name(proposed.get("name_km")))
        ]
        if proposed.get("name"):
            latin = _name(proposed.get("name"))
            rows.append(_row(_("Name in Latin letters"), _name(person.get("name")), latin))
        return rows
    if kind == "phone_number":
        asked = _phones(proposed.get("phone_number"))
        return [_row(_("Phone number"), _phones(person.get("phone_number")), asked)]
    if kind == "link_phone":
        asked = _phones(proposed.get("phone_number"))
        return [_row(_("Phone asking to be linked"), _phones(person.get("phone_number")), asked)]
    if kind == "address":
        now = where((person.get("address") or {}).get("village_code"))
        asked = where((proposed.get("address") or {}).get("village_code"))
        return [_row(_("Where the person lives"), now, asked)]
    if kind == "birth_date":
        asked = format_date(proposed.get("birth_date"))
        return [_row(_("Date of birth"), birth_words(person), asked)]
    if kind == "identifier":
        now, asked = (
            _identifiers(person.get("identifier")),
            _identifiers(proposed.get("identifier")),
        )
        return [_row(_("ID numbers"), now, asked)]
    if kind == "disability":
        now, asked = _card(person.get("disability_card")), _card(proposed.get("disability_card"))
        return [_row(_("Disability card number"), now, asked)]
    if kind == "household_birth":
        relationship = BABY_RELATIONSHIPS.get(change.get("household_status") or "child", "")
        return [
            _row(
                _("Baby's name"), "", _name(proposed.get("name_km")) or _name(proposed.get("name"))
            ),
            _row(_("Girl or boy"), "", str(SEXES.get(proposed.get("sex"), ""))),
            _row(_("Date of birth"), "", format_date(proposed.get("birth_date"))),
            _row(_("Whose baby"), "", str(relationship)),
        ]
    if kind in ("household_member_left", "death"):
        who = person_name(member) if member else format_digits(change.get("member_spid") or "")
        asked = _("Died") if kind == "death" else _("Left the household")
        return [_row(_("Member of the household"), who, asked)]
    return [_row(key, "", _plain(value)) for key, value in proposed.items()]


def _moment(value: str | None) -> dt.datetime | None:
    """A registry time in Phnom Penh, to the minute (the clock filter rounds up)."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(LOCAL_TIME)
    return moment.replace(second=0, microsecond=0)


def history_rows(change: dict) -> list[dict]:
    """The request's status changes, oldest first: when, who, what, why."""
    rows = []
    for entry in change.get("history") or []:
        if entry.get("kind", "status_change") != "status_change":
            continue
        words, tone = status_words(entry.get("to_status") or "")
        rows.append(
            {
                "moment": _moment(entry.get("at")),
                "who": actor_words(entry.get("actor")),
                "what": words,
                "tone": tone,
                "reason": entry.get("reason"),
                "note": entry.get("note"),
            }
        )
    return rows


def _state(status: str | None) -> str:
    found = STATUS_WORDS.get(status or "") or MORE_STATES.get(status or "")
    return str(found) if found is not None else (status or "").replace("_", " ")


def what_words(entry: dict) -> str:
    if entry.get("source") == "history":
        record = entry.get("record_type") or ""
        if entry.get("kind") == "status_change":
            if entry.get("from_status") is None and record in CREATED:
                return str(CREATED[record])
            return f"{RECORDS.get(record, record)}: {_state(entry.get('to_status'))}"
        event = EVENTS.get(entry.get("kind") or "", entry.get("kind") or "")
        return f"{RECORDS.get(record, record)}: {event}"
    return str(ACTIONS.get(entry.get("action") or "", entry.get("action") or ""))


def purpose_words(purpose: str | None) -> str:
    if not purpose:
        return ""
    return str(PURPOSES.get(purpose.strip().lower(), purpose))


def _spid(entry: dict) -> str | None:
    for value in (entry.get("person_spid"), entry.get("on_behalf_of")):
        if value and _SPID.match(value):
            return value
    return None


# Of the reads and writes of one person in one minute, the row says the weightiest.
_WEIGHT = {"update": 5, "create": 4, "read": 3, "list": 2, "search": 1}
_LISTING = frozenset({"list", "search"})


def _joins(row: dict, entry: dict, moment, purpose: str) -> bool:
    """Whether an access-log entry belongs to the row before it: the same
    minute, purpose and channel, and the same person (or both lists)."""
    if row["action"] is None or entry.get("source") != "access_log":
        return False
    if (row["moment"], row["purpose"], row["assisted"]) != (
        moment,
        purpose,
        entry.get("channel") == "officer",
    ):
        return False
    spid = _spid(entry)
    same_person = spid is not None and row["spids"] == {spid}
    return same_person or (row["listing"] and entry.get("action") in _LISTING)


def activity_rows(entries: list[dict]) -> list[dict]:
    """The officer's entries, newest first, ready to show. What one page did
    in one minute is one row: the reads and writes of one person (the
    weightiest said), or the people of a list (how many)."""
    rows: list[dict] = []
    for entry in entries:
        moment = _moment(entry.get("at"))
        purpose = purpose_words(entry.get("purpose"))
        action = entry.get("action") if entry.get("source") == "access_log" else None
        spid = _spid(entry)
        if rows and _joins(rows[-1], entry, moment, purpose):
            row = rows[-1]
            if spid:
                row["spids"].add(spid)
            row["listing"] = row["listing"] and action in _LISTING
            if _WEIGHT.get(action, 0) > _WEIGHT.get(row["action"], 0):
                row["action"], row["what"] = action, what_words(entry)
            continue
        rows.append(
            {
                "moment": moment,
                "what": what_words(entry),
                "action": action,
                "listing": action in _LISTING,
                "spids": {spid} if spid else set(),
                "purpose": purpose,
                "assisted": entry.get("channel") == "officer",
            }
        )
    for row in rows:
        spids = row.pop("spids")
        row["people"] = len(spids)
        row["spid"] = next(iter(spids)) if len(spids) == 1 else None
    return rows
