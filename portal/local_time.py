"""Days as people in Cambodia count them: registry times are UTC, pages and
text messages say the day in Phnom Penh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Asia/Phnom_Penh")


def local_day(moment: str | dt.datetime | None) -> dt.date | None:
    """The day in Phnom Penh of a registry time (ISO, UTC; naive counts as UTC)
    or an aware datetime."""
    if not moment:
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_TIME).date()


def today() -> dt.date:
    """Today in Phnom Penh."""
    return dt.datetime.now(LOCAL_TIME).date()
