"""DCI transaction status of asynchronous searches: /registry/sync/txn/status
answers at once, /registry/txn/status with a txn-on-status callback. A client
sees its own searches only; every answer follows the official schemas."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from portal.registry.server.exchange import run_once
from portal.registry.server.models import DciTransaction
from tests.registry.dci_official import problems, require_standards
from tests.registry.factories import new_nin
from tests.registry.test_dci_async import Operator, create_person, register_callback, search_body


@pytest.fixture(autouse=True)
def _standards() -> None:
    require_standards()


@pytest.fixture
def operator(registry_app, http, receiver) -> Operator:
    return Operator(registry_app, http, receiver)


def status_body(attribute_type: str, value, *, txn_type: str = "search") -> dict:
    return {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": datetime.now(UTC).isoformat(),
            "action": "txn-status",
            "sender_id": "operator.example.org",
            "total_count": 1,
        },
        "message": {
            "transaction_id": str(uuid.uuid4()),
            "txnstatus_request": {
                "reference_id": "status-1",
                "txn_type": txn_type,
                "attribute_type": attribute_type,
                "attribute_value": value,
            },
        },
    }


def sync_status(operator: Operator, attribute_type: str, value, **options) -> dict:
    response = operator.post(
        "/registry/sync/txn/status", status_body(attribute_type, value, **options)
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert problems("sync_txn_status_response", answer) == []
    assert answer["header"]["action"] == "txn-on-status"
    return answer


def items(answer: dict) -> list[dict]:
    return answer["message"]["txnstatus_response"]["txn_status"]["search_response"]


def statuses(answer: dict) -> list[tuple[str, str]]:
    return [(item["reference_id"], item["status"]) for item in items(answer)]


@pytest.fixture
def searched(registry_app, http, credentials, operator):
    """An async search of two items (one found, one refused), not yet answered."""
    _, nin = create_person(http, credentials)
    body = search_body(nin, references=("ref-a", "ref-b"))
    body["message"]["search_request"][1]["search_criteria"]["pagination"] = {"page_size": 0}
    ack = operator.post("/registry/search", body).json()
    return body, ack["message"]["correlation_id"]


def test_status_is_rcvd_before_the_runner_and_succ_after(registry_app, operator, searched):
    body, correlation_id = searched
    transaction_id = body["message"]["transaction_id"]
    queries = [
        ("transaction_id", transaction_id),
        ("correlation_id", correlation_id),
        ("reference_id_list", ["ref-a", "ref-b"]),
    ]
    for attribute_type, value in queries:
        before = sync_status(operator, attribute_type, value)
        assert statuses(before) == [("ref-a", "rcvd"), ("ref-b", "rcvd")], attribute_type
        status = before["message"]["txnstatus_response"]
        assert status["txn_type"] == "search"
        assert status["txn_status"]["correlation_id"] == correlation_id
        assert status["txn_status"]["transaction_id"] == transaction_id

    run_once(registry_app)

    for attribute_type, value in queries:
        after = sync_status(operator, attribute_type, value)
        assert statuses(after) == [("ref-a", "succ"), ("ref-b", "rjct")], attribute_type
        assert items(after)[1]["status_reason_code"] == "rjct.pagination.invalid"
        assert items(after)[0]["pagination"]["total_count"] == 1
        assert all("data" not in item for item in items(after))  # records only in on-search


def test_a_reference_list_reports_each_listed_id(operator, searched):
    answer = sync_status(operator, "reference_id_list", ["ref-b", "ref-unknown"])
    assert statuses(answer) == [("ref-b", "rcvd"), ("ref-unknown", "rjct")]
    assert items(answer)[1]["status_reason_code"] == "rjct.reference_id.invalid"
    one = sync_status(operator, "reference_id_list", "ref-a")  # a single string: a list of one
    assert statuses(one) == [("ref-a", "rcvd")]


def test_a_pending_search_reports_pdng(registry_app, operator, searched):
    _, correlation_id = searched
    with registry_app.extensions["registry.sessions"]() as session:
        transaction = session.get(DciTransaction, correlation_id)
        transaction.status, transaction.claimed_at = "pdng", datetime.now(UTC)
        session.commit()
    answer = sync_status(operator, "correlation_id", correlation_id)
    assert statuses(answer) == [("ref-a", "pdng"), ("ref-b", "pdng")]


def test_another_clients_search_is_not_visible(registry_app, http, operator, searched):
    body, correlation_id = searched
    run_once(registry_app)
    other = Operator(registry_app, http, None)
    for attribute_type, value in (
        ("transaction_id", body["message"]["transaction_id"]),
        ("correlation_id", correlation_id),
    ):
        answer = sync_status(other, attribute_type, value)
        found = answer["message"]["txnstatus_response"]["txn_status"]
        assert [(item["status"], item["status_reason_code"]) for item in items(answer)] == [
            ("rjct", "rjct.search_criteria.invalid")
        ]
        assert items(answer)[0]["reference_id"] == "status-1"
        assert found["correlation_id"] in ("", value)  # what it asked, nothing more
    answer = sync_status(other, "reference_id_list", ["ref-a", "ref-b"])
    assert statuses(answer) == [("ref-a", "rjct"), ("ref-b", "rjct")]
    assert answer["message"]["txnstatus_response"]["txn_status"]["correlation_id"] == ""


def test_an_unknown_transaction_and_a_list_where_one_id_is_due(operator):
    answer = sync_status(operator, "transaction_id", str(uuid.uuid4()))
    assert statuses(answer) == [("status-1", "rjct")]
    listed = sync_status(operator, "correlation_id", ["a", "b"])
    assert items(listed)[0]["status_reason_code"] == "rjct.search_criteria.invalid"


def subscribe_body() -> dict:
    province = {"attribute_name": "province_code", "operator": "eq", "attribute_value": "12"}
    criteria = {
        "reg_event_type": "REGISTER",
        "filter_type": "predicate",
        "filter": [{"expression1": province}],
        "notify_record_type": "Person",
    }
    items = [
        {"reference_id": reference, "timestamp": datetime.now(UTC).isoformat(), **extra}
        for reference, extra in (
            ("sub-1", {"subscribe_criteria": criteria}),
            ("sub-2", {"subscribe_criteria": {**criteria, "reg_event_type": "MARRIAGE"}}),
        )
    ]
    body = status_body("transaction_id", "")
    body["header"].update(action="subscribe", total_count=2)
    body["message"] = {"transaction_id": str(uuid.uuid4()), "subscribe_request": items}
    return body


def test_the_status_of_a_subscribe_request(registry_app, http, operator):
    body = subscribe_body()
    ack = operator.post("/registry/subscribe", body)
    assert ack.status_code == 200, ack.text
    correlation_id = ack.json()["message"]["correlation_id"]
    for attribute_type, value in (
        ("transaction_id", body["message"]["transaction_id"]),
        ("correlation_id", correlation_id),
    ):
        answer = sync_status(operator, attribute_type, value, txn_type="subscibe")
        assert answer["message"]["txnstatus_response"]["txn_type"] == "subscibe"
        assert statuses(answer) == [("sub-1", "succ"), ("sub-2", "rjct")]
        refused = items(answer)[1]
        assert "status_reason_code" not in refused  # a subscription code is no search code
        assert refused["status_reason_message"].startswith("rjct.")
        assert "subscriptions" not in items(answer)[0]
    as_search = sync_status(operator, "correlation_id", correlation_id)
    assert statuses(as_search) == [("status-1", "rjct")]  # not a search
    other = Operator(registry_app, http, None)
    hidden = sync_status(other, "correlation_id", correlation_id, txn_type="subscibe")
    assert statuses(hidden) == [("status-1", "rjct")]


def test_status_of_receipts_is_refused_in_the_header(operator):
    answer = sync_status(operator, "transaction_id", "t-1", txn_type="receipt")
    assert answer["header"]["status"] == "rjct"
    assert answer["header"]["status_reason_code"] == "rjct.action.not_supported"
    assert "message" not in answer


def test_header_problems_are_refused_in_the_header(operator):
    body = status_body("transaction_id", "t-1")
    body["header"]["total_count"] = 2
    answer = operator.post("/registry/sync/txn/status", body).json()
    assert problems("sync_txn_status_response", answer) == []
    assert answer["header"]["status_reason_code"] == "rjct.total_count.invalid"
    too_many = sync_status(operator, "reference_id_list", [f"r{n}" for n in range(101)])
    assert too_many["header"]["status_reason_code"] == "rjct.total_count.limit_exceeded"
    repeated = status_body("transaction_id", "t-1")
    operator.post("/registry/sync/txn/status", repeated)
    again = operator.post("/registry/sync/txn/status", repeated).json()
    assert again["header"]["status_reason_code"] == "rjct.message_id.duplicate"


def test_a_search_refused_as_a_whole_or_never_answered_reports_rjct(registry_app, operator):
    refused = search_body(new_nin())
    refused["header"]["version"] = "0.9"
    first = operator.post("/registry/search", refused).json()["message"]["correlation_id"]
    run_once(registry_app)
    answer = sync_status(operator, "correlation_id", first)
    assert statuses(answer) == [("ref-1", "rjct")]
    assert "rjct.version.invalid" in items(answer)[0]["status_reason_message"]

    second = operator.post("/registry/search", search_body(new_nin())).json()
    register_callback(registry_app, operator.credentials["client_id"], None)
    run_once(registry_app)
    unanswered = sync_status(operator, "correlation_id", second["message"]["correlation_id"])
    assert statuses(unanswered) == [("ref-1", "rjct")]
    assert "callback address" in items(unanswered)[0]["status_reason_message"]


def test_the_async_status_is_acknowledged_then_delivered_as_txn_on_status(
    registry_app, operator, searched
):
    _, correlation_id = searched
    response = operator.post("/registry/txn/status", status_body("correlation_id", correlation_id))
    assert response.status_code == 200, response.text
    ack = response.json()
    assert problems("ack_response", ack) == []
    assert operator.receiver.received("/registry/txn/on-status") == []

    run_once(registry_app)

    delivered = operator.receiver.received("/registry/txn/on-status")
    assert len(delivered) == 1
    answer = delivered[0]
    assert problems("sync_txn_status_response", answer) == []
    assert answer["header"]["action"] == "txn-on-status"
    assert answer["message"]["correlation_id"] == ack["message"]["correlation_id"]
    assert statuses(answer) == [("ref-a", "rcvd"), ("ref-b", "rcvd")]  # asked before the answer
    assert "signature" in answer


def test_the_async_status_needs_a_callback_address(registry_app, http):
    operator = Operator(registry_app, http, None)
    response = operator.post("/registry/txn/status", status_body("transaction_id", "t-1"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "err.sender_uri.invalid"


def test_the_official_schema_refuses_every_string_attribute_value_and_we_do_not(operator):
    """The official attribute_value is oneOf with two identical string branches."""
    body = status_body("transaction_id", "t-1")
    assert problems("sync_txn_status_request", body) != []  # message matches no oneOf branch
    listed = status_body("reference_id_list", ["ref-a"])
    assert problems("sync_txn_status_request", listed) == []
    assert operator.post("/registry/sync/txn/status", body).status_code == 200
    assert operator.post("/registry/sync/txn/status", listed).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body["message"]["txnstatus_request"].update(txn_type="on-search"),
        lambda body: body["message"]["txnstatus_request"].update(attribute_type="spid"),
        lambda body: body["message"]["txnstatus_request"].update(attribute_value="x" * 100),
        lambda body: body["message"]["txnstatus_request"].pop("reference_id"),
        lambda body: body["message"].pop("transaction_id"),
        lambda body: body["header"].update(action="search"),
    ],
)
def test_requests_off_the_contract_get_422(operator, change):
    body = status_body("transaction_id", "t-1")
    change(body)
    response = operator.post("/registry/sync/txn/status", body)
    assert response.status_code == 422, response.text
