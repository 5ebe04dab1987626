"""Times a page tells a person to wait for ("try again after 10:45"), read back
from the page and compared with what the test expects, in Phnom Penh time."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from portal.khmer import to_ascii_digits

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
KHMER_CLOCK = re.compile(r"[០-៩]{1,2}:[០-៩]{2}")
LATIN_CLOCK = re.compile(r"\b[0-9]{1,2}:[0-9]{2}\b")


def clock_texts(body: str, khmer: bool) -> list[str]:
    """Every h:mm on the page (Khmer digits on Khmer pages), as ASCII h:mm."""
    pattern = KHMER_CLOCK if khmer else LATIN_CLOCK
    return [to_ascii_digits(found) for found in pattern.findall(body)]


def expected_clocks(earliest: dt.datetime, latest: dt.datetime) -> set[str]:
    """The h:mm (12-hour, Phnom Penh) a page may show for a moment between
    `earliest` and `latest`, rounded up to the minute."""
    shown = set()
    moment = earliest.replace(second=0, microsecond=0)
    while moment <= latest + dt.timedelta(minutes=1):
        local = moment.astimezone(PHNOM_PENH)
        shown.add(f"{local.hour % 12 or 12}:{local.minute:02d}")
        moment += dt.timedelta(minutes=1)
    return shown


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
