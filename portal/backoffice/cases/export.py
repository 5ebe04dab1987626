"""The filtered queue as a CSV file: one row per case, codes rather than words
(for a spreadsheet), no free text and no contact details unless a supervisor
asks for them, and never the contact of an anonymous report.

A cell that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) gets a leading quote, so a reporter's words can never
become a formula on a supervisor's computer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from portal.local_time import local_day

COLUMNS = (
    "reference",
    "category",
    "status",
    "commune_code",
    "programme_id",
    "received_on",
    "acknowledge_by",
    "resolve_by",
    "assignee",
    "escalated",
    "confidential",
    "repeat",
    "appeal",
)
TEXT_COLUMNS = ("description", "contact_phone", "complainant_spid")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"  # spreadsheets then read the file as UTF-8 (Khmer)


def safe_cell(value: object) -> str:
    """The value as text, defused when a spreadsheet would take it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _received_on(case: dict) -> str:
    day = local_day(case.get("created_at"))
    return day.isoformat() if day else ""


def row_of(case: dict, with_text: bool) -> list[str]:
    complainant = case.get("complainant") or {}
    values: list[object] = [
        case.get("reference"),
        case.get("category"),
        case.get("status"),
        case.get("commune_code"),
        case.get("programme_id"),
        _received_on(case),
        case.get("acknowledge_by"),
        case.get("resolve_by"),
        case.get("assignee"),
        bool(case.get("escalated_at")),
        bool(case.get("confidential")),
        bool(case.get("repeat_of")),
        bool(case.get("appeal_of")),
    ]
    if with_text:
        anonymous = bool(complainant.get("anonymous"))
        values += [
            case.get("description"),
            None if anonymous else complainant.get("contact_phone"),
            None if anonymous else complainant.get("spid"),
        ]
    return [safe_cell(value) for value in values]


def lines(cases: Iterable[dict], with_text: bool) -> Iterator[str]:
    """The file, a line at a time (the header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([*COLUMNS, *(TEXT_COLUMNS if with_text else ())])
    yield BYTE_ORDER_MARK + take()
    for case in cases:
        writer.writerow(row_of(case, with_text))
        yield take()
