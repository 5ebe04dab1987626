"""The payment file a payment provider sends, read and checked row by row.

    reference,spid,paid_on,period,amount_riel,transaction_id
    AP-2026-004217,02715805414,2026-03-31,2026-03,40000,TX-88812

A header row is required; at most 2,000 payments and 1 MB; UTF-8 with or
without a byte-order mark. A file that cannot be read at all is refused as a
whole (FileRefused, nothing is recorded); a row that is wrong is reported with
what is wrong and the others go on. Nothing here calls the registry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from portal.i18n import format_number
from portal.khmer import to_ascii_digits

COLUMNS = ("reference", "spid", "paid_on", "period", "amount_riel", "transaction_id")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
MAX_AMOUNT = 100_000_000
EARLIEST = dt.date(2000, 1, 1)
REFERENCE = re.compile(r"^AP-[0-9]{4}-[0-9]{6}$")
SPID = re.compile(r"^[0-9]{11}$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
AMOUNT = re.compile(r"^[0-9]{1,9}$")
TRANSACTION = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$")


class FileRefused(ValueError):
    """The file as a whole cannot be read; ``message`` says why, in plain words."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Row:
    """One payment of the file; ``problems`` empty when every value is right."""

    line: int
    reference: str
    spid: str
    paid_on: dt.date | None
    period: str
    amount_riel: int | None
    transaction_id: str
    problems: tuple = field(default_factory=tuple)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise FileRefused(_l("The file is larger than 1 MB. Split it into smaller files."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _l("The file is not UTF-8 text. Save it again as “CSV UTF-8” and send it again.")
        ) from None
    if "\x00" in text:
        raise FileRefused(_l("The file is not a text file. Send the CSV file itself."))
    if not text.strip():
        raise FileRefused(_l("The file is empty."))
    return text


def _day(value: str, today: dt.date) -> tuple[dt.date | None, list]:
    if not DAY.match(value):
        return None, [_l("The payment date must be written like 2026-03-31.")]
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None, [_l("The payment date is not a real date.")]
    if day > today:
        return None, [_l("The payment date is after today.")]
    if day < EARLIEST:
        return None, [_l("The payment date is before the year 2000.")]
    return day, []


def _period(value: str, today: dt.date) -> list:
    found = PERIOD.match(value)
    if not found:
        return [_l("The period must be a month written like 2026-03.")]
    if not EARLIEST.year <= int(found.group(1)) <= today.year + 1:
        return [_l("The period's year is not possible.")]
    return []


def _amount(value: str) -> tuple[int | None, list]:
    digits = to_ascii_digits(value)
    if AMOUNT.match(digits) and 1 <= int(digits) <= MAX_AMOUNT:
        return int(digits), []
    message = _l(
        "The amount must be a whole number of riel from %(low)s to %(high)s.",
        low=format_number(1),
        high=format_number(MAX_AMOUNT),
    )
    return None, [message]


def _row(line: int, cells: list[str], today: dt.date) -> Row:
    if len(cells) != len(COLUMNS):
        return Row(
            line,
            "",
            "",
            None,
            "",
            None,
            "",
            (_l("This row has %(count)s values instead of 6.", count=format_number(len(cells))),),
        )
    reference, spid, paid_on, period, amount, transaction = (cell.strip() for cell in cells)
    reference = reference.upper()
    spid = to_ascii_digits(spid).replace(" ", "").replace("-", "")
    problems: list = []
    if not REFERENCE.match(reference):
        problems.append(_l("The reference must be written like AP-2026-004217."))
    if not SPID.match(spid):
        problems.append(_l("The SPID must have 11 digits."))
    day, day_problems = _day(paid_on, today)
    amount_riel, amount_problems = _amount(amount)
    problems += day_problems + _period(period, today) + amount_problems
    if not TRANSACTION.match(transaction):
        problems.append(
            _l(
                "The transaction id must have 1 to 64 letters, digits or signs, "
                "with no space at either end."
            )
        )
    return Row(
        line,
        reference[:20],
        spid[:20],
        day,
        period,
        amount_riel,
        transaction,
        tuple(problems),
    )


def read(data: bytes, today: dt.date) -> list[Row]:
    """The payments of the file, each checked; raises FileRefused."""
    # strict: a quote left open would swallow the rest of the file into one value
    reader = csv.reader(io.StringIO(_text(data), newline=""), strict=True)
    rows: list[Row] = []
    header_seen = False
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if not header_seen:
                if tuple(cell.strip().lower() for cell in cells) != COLUMNS:
                    raise FileRefused(
                        _l(
                            "The first row must be the header: %(columns)s",
                            columns=",".join(COLUMNS),
                        )
                    )
                header_seen = True
                continue
            if len(rows) == MAX_ROWS:
                raise FileRefused(
                    _l(
                        "The file has more than %(count)s payments. Split it into smaller files.",
                        count=format_number(MAX_ROWS),
                    )
                )
            rows.append(_row(reader.line_num, cells, today))
    except csv.Error:
        raise FileRefused(
            _l(
                "The file is not a CSV file that can be read (row %(line)s).",
                line=format_number(reader.line_num),
            )
        ) from None
    if not rows:
        raise FileRefused(_l("The file has no payments under the header row."))
    return rows
