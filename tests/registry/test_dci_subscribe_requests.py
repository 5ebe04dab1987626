"""DCI subscribe and unsubscribe requests: each item answered on its own with
the official reason codes, whole messages refused, bad and hostile requests,
requests built and generated from the official core API, and the cost of a
write when nobody subscribed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy import event, select

from portal.registry.server.contract import body_validator
from portal.registry.server.models import DciSubscription, OAuthClient
from tests.registry.conftest import new_credentials, token_for
from tests.registry.dci_official import require_standards
from tests.registry.dci_receiver import running_receiver
from tests.registry.dci_subscription_support import (
    CALLBACK_SCHEMAS,
    CORE,
    Operator,
    contract_problems,
    criteria,
    deliver,
    header,
    in_province,
    official_problems,
    register,
    retire,
    subscribe_body,
    unsubscribe_body,
)


def test_each_subscribe_item_is_answered_on_its_own(operators):
    operator = operators()
    operator.code(criteria("REGISTER"))
    items = [
        criteria("REGISTER"),  # the same event and filter again
        criteria("LiveBirth"),
        criteria("REGISTER", [{"expression1": {"attribute_name": "colour", "operator": "eq",
                                              "attribute_value": "red"}}]),
        criteria("REGISTER", in_province("02"), notify_record_type="Group"),
        criteria("REGISTER", in_province("03"), reg_type="ns:org:RegistryType:Civil"),
        criteria("REGISTER", in_province("14"), frequency={
            "start_time": "2027-01-02T00:00:00Z", "end_time": "2027-01-01T00:00:00Z",
            "frequency": "0 0 * * *"}),
        criteria("DEATH", in_province("21")),
        criteria("DEATH", in_province("21")),  # twice in one message
        criteria("spdci:common:RegistryEventType:NewHouseHoldMember", in_province("21")),
    ]  # fmt: skip
    answers = operator.subscribe(*items)
    assert [(a["status"], a.get("status_reason_code")) for a in answers] == [
        ("rjct", "rjct.event.already_subscribed"),
        ("rjct", "rjct.notify_types.invalid"),
        ("rjct", "rjct.notify_details.invalid"),
        ("rjct", "rjct.notify_details.invalid"),
        ("rjct", "rjct.notify_details.invalid"),
        ("rjct", "rjct.notify_details.invalid"),
        ("succ", None),
        ("rjct", "rjct.event.already_subscribed"),
        ("rjct", "rjct.notify_details.invalid"),  # NewHouseHoldMember sends a Group
    ]
    info = answers[6]["subscriptions"][0]
    assert info["code"] == info["subscription_code"] and info["status"] == "subscribe"
    assert info["subscribe_criteria"] == items[6] and info["notify_record_type"] == "Person"
    assert contract_problems("SubscriptionInfo", info) == []
    duplicated = subscribe_body(criteria("DEATH", in_province("22")), criteria("DEATH"),
                                references=["same", "same"])  # fmt: skip
    response = operator.post("/registry/subscribe", duplicated)
    answer = operator.answer("/registry/on-subscribe", response.json()["message"]["correlation_id"])
    codes = [a.get("status_reason_code") for a in answer["message"]["subscribe_response"]]
    assert codes == [None, "rjct.reference_id.duplicate"]


def test_a_message_refused_as_a_whole_subscribes_nothing(operators, registry_app):
    operator = operators()
    body = subscribe_body(criteria("REGISTER"))
    first = operator.post("/registry/subscribe", body)
    body["message"]["subscribe_request"][0]["subscribe_criteria"]["filter"] = in_province("17")
    repeated = operator.post("/registry/subscribe", body)  # the same message_id
    assert operator.answer("/registry/on-subscribe", first.json()["message"]["correlation_id"])
    answer = operator.answer("/registry/on-subscribe", repeated.json()["message"]["correlation_id"])
    assert answer["header"]["status"] == "rjct"
    assert answer["header"]["status_reason_code"] == "rjct.message_id.duplicate"
    assert answer["message"]["subscribe_response"] == []
    with registry_app.extensions["registry.sessions"]() as session:
        made = session.scalars(
            select(DciSubscription).where(DciSubscription.client_id == operator.client_id)
        ).all()
    assert len(made) == 1


def test_bad_requests_get_4xx(operators, http, registry_app, receiver):
    operator = operators()
    body = subscribe_body(criteria("REGISTER"))

    def status(payload, **headers) -> tuple[int, set[str]]:
        response = operator.post("/registry/subscribe", payload, **headers)
        return response.status_code, {e["code"] for e in response.json().get("errors", [])}

    deep: object = "x"
    for _ in range(40):
        deep = [deep]
    nul = subscribe_body(criteria("REGISTER"))
    nul["header"]["sender_id"] = "op\u0000erator"
    outside = subscribe_body(criteria("REGISTER"), sender_uri="https://elsewhere.example/cb")
    encrypted = {"header": header("subscribe", 1, is_msg_encrypted=True), "message": {
        "header": {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "k"}, "ciphertext": "x",
        "encrypted_key": "x", "tag": "x", "iv": "x"}}  # fmt: skip
    assert status({"header": body["header"], "message": {"x": deep}})[0] == 400
    assert status(nul) == (422, {"err.validation"})
    assert status(outside) == (400, {"err.sender_uri.invalid"})
    assert status(encrypted) == (400, {"err.encryption.invalid"})
    assert status({"header": body["header"]})[0] == 422
    huge = subscribe_body(criteria("REGISTER", in_province("1" * 300_000)))
    assert status(huge)[0] == 413
    text = http.post(
        "/registry/subscribe",
        content=b"not json",
        headers={"Authorization": f"Bearer {operator.token}", "Content-Type": "text/plain"},
    )
    assert text.status_code == 415
    assert http.post("/registry/subscribe", json=body).status_code == 401
    reader = new_credentials(registry_app, ["registry.read"])
    forbidden = http.post(
        "/registry/unsubscribe",
        json=unsubscribe_body(["x"]),
        headers={"Authorization": f"Bearer {token_for(http, reader)}"},
    )
    assert forbidden.status_code == 403
    # A client with no callback address cannot be answered.
    with registry_app.extensions["registry.sessions"]() as session:
        session.get(OAuthClient, operator.client_id).callback_url = None
        session.commit()
    assert status(subscribe_body(criteria("REGISTER"))) == (400, {"err.sender_uri.invalid"})


# The official specification.


def test_requests_built_from_the_official_schema_follow_the_contract():
    official = [
        subscribe_body(criteria("REGISTER")),
        subscribe_body(
            {
                "reg_event_type": "NewHouseHoldMember",
                "frequency": {
                    "start_time": "2026-01-01T00:00:00Z",
                    "end_time": "2030-01-01T00:00:00+07:00",
                    "frequency": "0 0 0 5,15 * ? *",
                },
                "filter_type": "predicate",
                "filter": [
                    {
                        "seq_num": 1,
                        "expression1": {
                            "attribute_name": "district_code",
                            "operator": "eq",
                            "attribute_value": "1201",
                        },
                        "condition": "or",
                        "expression2": {
                            "attribute_name": "age",
                            "operator": "lt",
                            "attribute_value": "5",  # an integer is both integer and number
                        },
                    }
                ],
                "notify_record_type": "spdci-extensions-dci:Group",
                "authorize": {"purpose": {"text": "enrolment"}},
            }
        ),
    ]
    for body in official:
        body["message"]["subscribe_request"][0]["locale"] = "khm"
        body["signature"] = 'Signature: namespace="dci"'
        assert official_problems("/registry/subscribe", body) == []
        assert list(body_validator("/registry/subscribe", "post").iter_errors(body)) == []
    for spelling in (True, False):
        body = unsubscribe_body([str(uuid.uuid4())], official_spelling=spelling)
        assert list(body_validator("/registry/unsubscribe", "post").iter_errors(body)) == []
    # The official schema takes the names it requires, not those it defines.
    defined, required = unsubscribe_body(["c"]), unsubscribe_body(["c"], official_spelling=True)
    assert official_problems("/registry/unsubscribe", required) == []
    assert official_problems("/registry/unsubscribe", defined) != []


def test_a_write_with_no_subscriber_costs_one_indexed_query(registry_app, inprocess, actor):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "dci_subscriptions" in statement:
            statements.append(statement)

    engine = registry_app.extensions["registry.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        person = register(inprocess, actor)
        assert len(statements) == 1
        inprocess.persons.update(person["id"], {"marital_status": "single"}, actor=actor)
        assert len(statements) == 1  # an update that is no event: nothing
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _official_operations():
    if not CORE.exists():
        return None
    bounded = SchemathesisConfig.from_dict(
        {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
    )
    return schemathesis.openapi.from_path(CORE, config=bounded).include(
        path_regex="^/registry/(un)?subscribe$"
    )


official = _official_operations()


@pytest.fixture(scope="module")
def generated_operator(registry_app) -> Iterator[Operator]:
    transport = httpx.WSGITransport(app=registry_app)
    with (
        running_receiver() as receiver,
        httpx.Client(transport=transport, base_url="http://localhost") as http,
    ):
        operator = Operator(registry_app, http, receiver, ("registry.search", "registry.read"))
        yield operator
        retire(registry_app, [operator.client_id])


def _hostile(body: object) -> bool:
    """Text our hostile-input rules refuse (422) though the schema allows it."""
    try:
        text = json.dumps(body, ensure_ascii=False)
    except TypeError:  # bytes: not JSON at all
        return True
    return "\\u0000" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


if official is None:

    def test_requests_generated_from_the_official_schema():
        require_standards()

else:

    @official.parametrize()
    @settings(
        max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def test_requests_generated_from_the_official_schema(case, generated_operator, socket_url):
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {generated_operator.token}",
        }
        response = case.call(base_url=socket_url)
        assert response.status_code < 500
        if case.media_type != "application/json" or _hostile(case.body):
            assert response.status_code in (400, 415, 422)
            return
        if official_problems(case.path, case.body):
            return  # not a valid official request: any clear 4xx will do
        assert list(body_validator(case.path, "post").iter_errors(case.body)) == []
        codes = {error["code"] for error in response.json().get("errors", [])}
        assert response.status_code == 200 or codes <= {
            "err.encryption.invalid",
            "err.sender_uri.invalid",
            "err.signature.invalid",
        }, response.text
        if response.status_code == 200:  # its answer follows the official schema too
            receiver = generated_operator.receiver
            deliver(generated_operator.app)
            answers = receiver.delivered()
            receiver.clear()
            assert len(answers) == 1
            answer_path = case.path.replace("/registry/", "/registry/on-")
            assert official_problems(answer_path, answers[0]) == []
            assert contract_problems(CALLBACK_SCHEMAS[answer_path], answers[0]) == []
