"""Operations every record type has: create, read, exists, update, update-or-create, list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from portal.registry.client.base import Actor, RegistryConnection

RecordT = TypeVar("RecordT")


@dataclass(frozen=True)
class Page(Generic[RecordT]):
    """One page of a list: total count, links to the neighbours, the records."""

    count: int
    next: str | None
    previous: str | None
    results: list[RecordT]


def etag_of(record: Any) -> str:
    """The If-Match value for a record read earlier."""
    return f'"{record["version"]}"'


class RecordResource(Generic[RecordT]):
    """``/data/<name>/1.0``: the GovStack-shaped data API of one record type."""

    name: str

    def __init__(self, connection: RegistryConnection) -> None:
        self._connection = connection
        self._base = f"/data/{self.name}/1.0"

    def create(self, content: dict, *, actor: Actor) -> RecordT:
        """Create with the client-chosen ``content["id"]``; not retried (use update_or_create)."""
        answer = self._connection.call(
            "POST",
            f"{self._base}/create",
            json={"write": {"content": content}},
            actor=actor,
            idempotent=False,
        )
        return cast(RecordT, answer.body)

    def update_or_create(
        self, content: dict, *, actor: Actor, if_match: str | None = None
    ) -> RecordT:
        """Create or bring the record with ``content["id"]`` to ``content``; safe to retry."""
        answer = self._connection.call(
            "POST",
            f"{self._base}/update-or-create",
            json={"write": {"content": content}},
            actor=actor,
            if_match=if_match,
            idempotent=True,
        )
        return cast(RecordT, answer.body)

    def read(self, record_id: str, *, actor: Actor) -> RecordT:
        return self._read_by({"id": record_id}, actor)

    def _read_by(self, key: dict, actor: Actor) -> RecordT:
        answer = self._connection.call(
            "POST",
            f"{self._base}/read",
            json={"query": {"content": key}},
            actor=actor,
            idempotent=True,
        )
        return cast(RecordT, answer.body)

    def exists(self, record_id: str, *, actor: Actor) -> bool:
        answer = self._connection.call(
            "POST",
            f"{self._base}/exists",
            json={"query": {"content": {"id": record_id}}},
            actor=actor,
            idempotent=True,
        )
        return bool(answer.body["answer"]["status"])

    def update(
        self,
        record_id: str,
        changes: dict,
        *,
        actor: Actor,
        if_match: str | None = None,
        reason: str | None = None,
        note: str | None = None,
        extra: dict | None = None,
    ) -> RecordT:
        """Change some fields; a status change is recorded with ``reason`` and ``note``.

        Pass ``if_match=etag_of(record)`` to refuse the change (412) when someone
        else changed the record since it was read.
        """
        write: dict[str, Any] = {"content": changes, **(extra or {})}
        if reason is not None or note is not None:
            write["status_change"] = {"reason": reason, "note": note}
        answer = self._connection.call(
            "PUT",
            f"{self._base}/update",
            json={"query": {"content": {"id": record_id}}, "write": write},
            actor=actor,
            if_match=if_match,
            idempotent=False,
        )
        return cast(RecordT, answer.body)

    def list(
        self,
        *,
        actor: Actor,
        page: int = 1,
        page_size: int = 20,
        ordering: str = "-created_at",
        **filters: str,
    ) -> Page[RecordT]:
        params = {"page": page, "pageSize": page_size, "ordering": ordering, **filters}
        answer = self._connection.call(
            "GET", self._base, params=params, actor=actor, idempotent=True
        )
        body = answer.body
        return Page(
            count=body["count"],
            next=body["next"],
            previous=body["previous"],
            results=cast(list[RecordT], body["results"]),
        )
