"""What some actors did (``GET /data/activity/1.0``): history and access-log
entries, newest first, for a staff member's own record of their day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, TypedDict, cast

from portal.registry.client.base import Actor, RegistryConnection

MAX_LIMIT = 200


class ActivityEntry(TypedDict):
    at: str
    actor: str
    source: Literal["history", "access_log"]
    record_type: str | None  # history entries: the record changed
    record_id: str | None
    kind: str | None  # status_change, public_reply, internal_note, ...
    from_status: str | None
    to_status: str | None
    action: str | None  # access-log entries: read, search, list, create, update
    person_spid: str | None
    on_behalf_of: str | None
    purpose: str | None
    channel: str | None  # web, officer, sms, call_centre (when the actor said)


class Activity:
    def __init__(self, connection: RegistryConnection) -> None:
        self._connection = connection

    def of(
        self,
        actors: Iterable[str],
        *,
        actor: Actor,
        since: dt.datetime | None = None,
        limit: int = 100,
    ) -> list[ActivityEntry]:
        """What ``actors`` (exact actor strings) did since ``since`` (an aware
        datetime), the newest ``limit`` entries, newest first."""
        params: dict = {"actor": ",".join(actors), "limit": limit}
        if since is not None:
            params["since"] = since.astimezone(dt.UTC).isoformat()
        answer = self._connection.call(
            "GET", "/data/activity/1.0", params=params, actor=actor, idempotent=True
        )
        return cast(list[ActivityEntry], answer.body["entries"])
