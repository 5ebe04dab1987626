"""The history entry every workflow record carries."""

from __future__ import annotations

from typing import NotRequired, TypedDict


class HistoryEntry(TypedDict):
    kind: str
    from_status: str | None
    to_status: str | None
    actor: str
    on_behalf_of: str | None
    at: str
    reason: str | None
    note: str | None
    channel: NotRequired[str | None]  # web, officer, sms, call_centre, when the client said
