"""What the DCI conformance tests share: requests the official schema
accepts (read as meant where it contradicts itself: see
``dci_official.validator``), sent as an operator's system sends them. The
fixtures (``dci_operator``, ``dci_family``, ``dci_http``) are in conftest."""

from __future__ import annotations

import uuid
from datetime import date

from tests.registry.dci_official import now, problems


def request(*criteria: dict, **header) -> dict:
    """A request the official schema accepts, one item per search criteria
    (read as meant where it contradicts itself: see ``dci_official.validator``)."""
    items = [
        {
            "reference_id": f"ref-{number}",
            "timestamp": now(),
            "search_criteria": {"version": "1.0.0", "reg_event_type": "REGISTER", **c},
            "locale": "eng",
        }
        for number, c in enumerate(criteria, start=1)
    ]
    body = {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": now(),
            "action": "search",
            "sender_id": "operator.example.org",
            "receiver_id": "kh-social-protection-registry",
            "total_count": len(items),
            "is_msg_encrypted": False,
            **header,
        },
        "message": {"transaction_id": str(uuid.uuid4()), "search_request": items},
    }
    assert problems("sync_search_request", body, as_meant=True) == []
    return body


def send(http, operator: dict, body: dict) -> dict:
    """POST as a DCI client does (no X-Actor headers); the official schema holds."""
    response = http.post(
        "/registry/sync/search",
        json=body,
        headers={"Authorization": f"Bearer {operator['token']}"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert problems("sync_search_response", answer) == []
    assert "signature" not in answer  # unsigned request: no signature, never null
    return answer


def spids(item: dict) -> set[str]:
    assert item["status"] == "succ", item
    return {record["spid"] for record in item["data"]["reg_records"]}


def born(day: date, operator: str = "eq") -> dict:
    return {"attribute_name": "birth_date", "operator": operator, "attribute_value": str(day)}


def predicate(*expressions: dict) -> dict:
    return {
        "query_type": "predicate",
        "query": [{"seq_num": n, "expression1": e} for n, e in enumerate(expressions, 1)],
    }
