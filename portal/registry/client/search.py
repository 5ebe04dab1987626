"""DCI Social Registry sync search: persons (Member) and households (Group)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from portal.registry.client.base import Actor, RegistryConnection
from portal.registry.client.errors import RegistryValidationError

IdType = Literal["SPID", "NIN", "MOBILE", "HOUSEHOLD_ID"]
Entity = Literal["Member", "Group"]
REG_TYPE = "ns:org:RegistryType:Social"


@dataclass(frozen=True)
class SearchResult:
    """The records found (Person or Group documents) and the page they are on."""

    records: list[dict]
    total_count: int
    page_size: int
    page_number: int
    record_type: str


def predicate(attribute: str, operator: str, value: str | list[str]) -> dict:
    """One predicate expression, e.g. ``predicate("birth_date", "ge", "1960-01-01")``."""
    return {"attribute_name": attribute, "operator": operator, "attribute_value": value}


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class Search:
    def __init__(self, connection: RegistryConnection, sender_id: str) -> None:
        self._connection = connection
        self._sender_id = sender_id

    def by_id(
        self,
        id_type: IdType,
        value: str,
        *,
        actor: Actor,
        entity: Entity = "Member",
        page: int = 1,
        page_size: int = 20,
    ) -> SearchResult:
        """Search by SPID, national ID (NIN), mobile number or household id."""
        query = {"type": id_type, "value": value}
        return self._search("idtype-value", query, entity, [], page, page_size, actor)

    def by_predicate(
        self,
        expressions: list[dict],
        *,
        actor: Actor,
        entity: Entity = "Member",
        sort: list[tuple[str, str]] | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> SearchResult:
        """All expressions must hold (see ``predicate``); ``sort`` is [(attribute, asc|desc)]."""
        query = [{"seq_num": n, "expression1": e} for n, e in enumerate(expressions, 1)]
        order = [{"attribute_name": a, "sort_order": o} for a, o in (sort or [])]
        return self._search("predicate", query, entity, order, page, page_size, actor)

    def _search(self, query_type, query, entity, sort, page, page_size, actor) -> SearchResult:
        transaction_id = str(uuid.uuid4())
        criteria = {
            "version": "1.0.0",
            "reg_type": REG_TYPE,
            "reg_record_type": "Group" if entity == "Group" else "Person",
            "response_entity": entity,
            "query_type": query_type,
            "query": query,
            "sort": sort,
            "pagination": {"page_size": page_size, "page_number": page},
        }

        def envelope() -> dict:
            # A fresh message id per attempt: the registry rejects repeated ones.
            return {
                "signature": "",
                "header": {
                    "version": "1.0.0",
                    "message_id": str(uuid.uuid4()),
                    "message_ts": _now(),
                    "action": "search",
                    "sender_id": self._sender_id,
                    "total_count": 1,
                    "is_msg_encrypted": False,
                },
                "message": {
                    "transaction_id": transaction_id,
                    "search_request": [
                        {"reference_id": "1", "timestamp": _now(), "search_criteria": criteria}
                    ],
                },
            }

        answer = self._connection.call(
            "POST", "/registry/sync/search", json=envelope, actor=actor, idempotent=True
        )
        header = answer.body["header"]
        if header["status"] == "rjct":
            raise _rejected(header.get("status_reason_code"), header.get("status_reason_message"))
        item = answer.body["message"]["search_response"][0]
        if item["status"] != "succ":
            raise _rejected(item.get("status_reason_code"), item.get("status_reason_message"))
        pagination = item["pagination"]
        return SearchResult(
            records=item["data"]["reg_records"],
            total_count=pagination["total_count"],
            page_size=pagination["page_size"],
            page_number=pagination["page_number"],
            record_type=item["data"]["reg_record_type"],
        )


def _rejected(code: str | None, message: str | None) -> RegistryValidationError:
    field = "pagination" if code == "rjct.pagination.invalid" else "search_criteria"
    errors = [{"code": code or "rjct", "message": message or "Rejected.", "field": field}]
    return RegistryValidationError(message or "Search rejected.", status=200, errors=errors)
