"""Grievance cases in the words the back office shows: due dates, flags, the
reporter's contact (never for an anonymous report) and the history.

Plain functions of the records the registry returned; nothing here calls the
registry."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.backoffice.describe import CHANNELS, actor_words, commune_name, programme_name
from portal.changes.kinds import status_words as change_status_words
from portal.changes.kinds import title_of
from portal.grievances import categories, states
from portal.i18n import format_date, format_number, format_phone, format_spid
from portal.local_time import LOCAL_TIME

__all__ = ["CHANNELS", "commune_name", "programme_name"]

EVENTS = {
    "public_reply": (_l("Reply to the reporter"), "blue"),
    "internal_note": (_l("Internal note (staff only)"), "grey"),
    "information_given": (_l("The reporter gave information"), "yellow"),
    "escalation": (_l("Escalated to a supervisor"), "red"),
}
REASONS = {
    "appeal_decided": _l("The appeal was decided"),
    "appealed": _l("The reporter appealed"),
    "reopened": _l("The reporter opened it again"),
}


def category_words(case: dict) -> str:
    return categories.words(case.get("category"))


def state(case: dict) -> tuple[str, str]:
    return states.words(case.get("status"))


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def due_words(case: dict, today: dt.date) -> tuple[str, str]:
    """The resolve-by date in words and a tone: "overdue by 3 days" (red),
    "due today" (yellow), else the date; finished cases just the date."""
    due = _day(case.get("resolve_by"))
    if due is None:
        return "", "grey"
    if case.get("status") not in states.OPEN:
        return format_date(due), "grey"
    days = (today - due).days
    if days > 0:
        words = ngettext(
            "Overdue by %(days)s day", "Overdue by %(days)s days", days, days=format_number(days)
        )
        return words, "red"
    if days == 0:
        return _("Due today"), "yellow"
    return format_date(due), "grey"


def flags(case: dict) -> list[tuple[str, str]]:
    """Marks worth seeing at a glance, with a tone each."""
    found = []
    if case.get("confidential"):
        found.append((_("Confidential"), "red"))
    if case.get("escalated_at"):
        found.append((_("Escalated"), "red"))
    if case.get("repeat_of"):
        found.append((_("Repeat report"), "yellow"))
    if case.get("appeal_of"):
        found.append((_("Appeal"), "yellow"))
    return found


def anonymous(case: dict) -> bool:
    return bool((case.get("complainant") or {}).get("anonymous"))


def contact_rows(case: dict) -> list[dict]:
    """Who reported and how to reach them; nothing for an anonymous report."""
    if anonymous(case):
        return []
    complainant = case.get("complainant") or {}
    rows = []
    if complainant.get("name"):
        rows.append({"key": _("Name"), "value": complainant["name"]})
    rows.append(
        {"key": _("Phone"), "value": format_phone(complainant.get("contact_phone")) or _("None")}
    )
    rows.append({"key": _("SPID"), "value": format_spid(complainant.get("spid")) or _("None")})
    language = _("Khmer") if complainant.get("language", "km") == "km" else _("English")
    rows.append({"key": _("Language for messages"), "value": language})
    return rows


def report_rows(case: dict) -> list[dict]:
    created = case.get("created_at")
    received = None
    if created:
        moment = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        received = moment.astimezone(LOCAL_TIME).date()
    programme = programme_name(case.get("programme_id")) if case.get("programme_id") else ""
    return [
        {"key": _("Subject"), "value": category_words(case)},
        {"key": _("Programme"), "value": programme or _("None")},
        {
            "key": _("Commune"),
            "value": commune_name(case.get("commune_code")) or _("Not known"),
        },
        {
            "key": _("How it was sent"),
            "value": str(CHANNELS.get(case.get("channel"), case.get("channel") or "")),
        },
        {"key": _("Received on"), "value": format_date(received)},
        {"key": _("To acknowledge by"), "value": format_date(case.get("acknowledge_by"))},
        {"key": _("To resolve by"), "value": format_date(case.get("resolve_by"))},
        {"key": _("Assigned to"), "value": case.get("assignee") or _("Nobody")},
    ]


def decision_words(case: dict) -> str:
    return states.decision_words(case.get("decision_code")) if case.get("decision_code") else ""


def change_request_words(request: dict | None) -> str:
    if not request:
        return ""
    words, _tone = change_status_words(request.get("status", ""))
    return f"{title_of(request.get('request_type', 'other'))}: {words}"


def who(actor: str | None) -> str:
    """The staff member by role and username; the reporter as such."""
    if (actor or "").partition(":")[0] == "citizen":
        return _("The reporter")
    return actor_words(actor)


def _reason_words(reason: str | None) -> str:
    if not reason:
        return ""
    if reason in states.DECISIONS:
        return states.decision_words(reason)
    found = REASONS.get(reason)
    return str(found) if found is not None else reason


def history(case: dict) -> list[dict]:
    """Status changes and events, oldest first, ready to show (internal notes
    too: this is the staff's page)."""
    entries = [*(case.get("history") or []), *(case.get("events") or [])]
    entries.sort(key=lambda entry: entry.get("at") or "")
    shown = []
    for entry in entries:
        moment = dt.datetime.fromisoformat((entry.get("at") or "").replace("Z", "+00:00"))
        kind = entry.get("kind")
        reason = _reason_words(entry.get("reason"))
        if kind == "status_change":
            what, tone = states.words(entry.get("to_status"))
        elif kind == "assignment":
            assignee = entry.get("reason")
            what = _("Assigned to %(name)s", name=assignee) if assignee else _("Not assigned")
            tone, reason = "grey", ""
        elif kind == "escalation":
            what, tone, reason = str(EVENTS["escalation"][0]), "red", _("Past its deadline")
        else:
            words, tone = EVENTS.get(kind, (kind or "", "grey"))
            what = str(words)
        text = entry.get("note") or entry.get("text") or ""
        shown.append(
            {
                "day": moment.astimezone(LOCAL_TIME).date(),
                "moment": moment,
                "who": who(entry.get("actor")),
                "what": what,
                "tone": tone,
                "reason": reason,
                "note": text,
                "internal": kind == "internal_note",
            }
        )
    return shown
