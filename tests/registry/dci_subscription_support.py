"""What the DCI subscription tests share: the official core API's schemas,
request builders, an operator's system with its loopback receiver, and
delivery. The fixtures ``receiver`` and ``operators`` are in conftest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache

import httpx
import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sqlalchemy import update

from portal.registry.server.client_settings import set_callback_url
from portal.registry.server.contract import schema_validator
from portal.registry.server.exchange import run_once
from portal.registry.server.models import DciCallback, DciSubscription, OAuthClient
from tests.registry.conftest import new_credentials, token_for
from tests.registry.dci_official import STANDARDS, require_standards
from tests.registry.dci_receiver import DciReceiver
from tests.registry.factories import OTHER_VILLAGE, person_content

PHNOM_PENH = OTHER_VILLAGE[:2]  # "12"
CORE = STANDARDS / "registry_core_api_v1.0.0.yaml"
# Our contract's schemas of the callbacks the registry sends.
CALLBACK_SCHEMAS = {
    "/registry/on-subscribe": "OnSubscribe",
    "/registry/on-unsubscribe": "OnUnsubscribe",
    "/registry/notify": "Notify",
}
SEARCH_ONLY_FIELDS = {"id", "spid", "identifier", "household_identifier", "household_status"}


# The official schemas (registry core API: subscribe, notify, unsubscribe).


@cache
def _core() -> Registry:
    bundle = yaml.safe_load(CORE.read_text(encoding="utf-8"))
    return Registry().with_resource("urn:dci-core", Resource(contents=bundle, specification=DRAFT4))


def official_problems(path: str, document: object) -> list[str]:
    """What the official JSON body schema of ``path`` finds wrong with ``document``."""
    require_standards()
    pointer = "/paths/" + path.replace("/", "~1") + "/post/requestBody/content/application~1json"
    validator = OAS30Validator(
        {"$ref": f"urn:dci-core#{pointer}/schema"},
        registry=_core(),
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )
    found = validator.iter_errors(document)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}" for e in found)


def contract_problems(schema: str, document: object) -> list[str]:
    return sorted(e.message[:160] for e in schema_validator(schema).iter_errors(document))


# Messages.


def moment() -> str:
    return datetime.now(UTC).isoformat()


def in_province(code: str) -> list[dict]:
    expression = {"attribute_name": "province_code", "operator": "eq", "attribute_value": code}
    return [{"expression1": expression}]


def criteria(event_type: str = "REGISTER", filter_: object = None, **more) -> dict:
    return {
        "reg_type": "ns:org:RegistryType:Social",
        "reg_event_type": event_type,
        "filter_type": "predicate",
        "filter": in_province(PHNOM_PENH) if filter_ is None else filter_,
        "notify_record_type": "Group"
        if event_type in ("NewHouseHoldMember", "HOUSEHOLD_CHANGED")
        else "Person",
        **more,
    }


def header(action: str, total: int, **more) -> dict:
    return {
        "version": "1.0.0",
        "message_id": str(uuid.uuid4()),
        "message_ts": moment(),
        "action": action,
        "sender_id": "operator.example.org",
        "total_count": total,
        **more,
    }


def subscribe_body(*items: dict, references: list[str] | None = None, **more) -> dict:
    references = references or [f"ref-{number}" for number in range(1, len(items) + 1)]
    requests = [
        {"reference_id": reference, "timestamp": moment(), "subscribe_criteria": item}
        for reference, item in zip(references, items, strict=True)
    ]
    return {
        "header": header("subscribe", len(requests), **more),
        "message": {"transaction_id": str(uuid.uuid4()), "subscribe_request": requests},
    }


def unsubscribe_body(codes: list[str], *, official_spelling: bool = False) -> dict:
    if official_spelling:  # the names the official schema requires
        message = {"timestamp": moment(), "sunscription_codes": codes}
    else:  # the names it defines
        message = {"timesstamp": moment(), "subscription_codes": codes}
    return {
        "header": header("unsubscribe", len(codes)),
        "message": {"transaction_id": str(uuid.uuid4()), **message},
    }


# An operator: a DCI client whose callbacks go to a loopback receiver.


class Operator:
    def __init__(self, registry_app, http: httpx.Client, receiver: DciReceiver, scopes) -> None:
        self.app = registry_app
        self.credentials = new_credentials(registry_app, scopes)
        self.client_id = self.credentials["client_id"]
        self.token = token_for(http, self.credentials)
        self.http = http
        self.receiver = receiver
        with registry_app.extensions["registry.sessions"]() as session:
            name = session.get(OAuthClient, self.client_id).name
            set_callback_url(session, name, receiver.base_url)

    def post(self, path: str, body: object, **headers: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **headers}
        return self.http.post(path, json=body, headers=headers)

    def subscribe(self, *items: dict) -> list[dict]:
        """Subscribe; the on-subscribe answer's items (delivered at once)."""
        body = subscribe_body(*items)
        response = self.post("/registry/subscribe", body)
        assert response.status_code == 200, response.text
        assert response.json()["message"]["ack_status"] == "ACK"
        answer = self.answer("/registry/on-subscribe", response.json()["message"]["correlation_id"])
        return answer["message"]["subscribe_response"]

    def code(self, *items: dict) -> str:
        (answer,) = self.subscribe(*items)
        assert answer["status"] == "succ", answer
        return answer["subscriptions"][0]["code"]

    def unsubscribe(self, codes: list[str], **spelling) -> dict:
        response = self.post("/registry/unsubscribe", unsubscribe_body(codes, **spelling))
        assert response.status_code == 200, response.text
        correlation_id = response.json()["message"]["correlation_id"]
        return self.answer("/registry/on-unsubscribe", correlation_id)["message"]

    def answer(self, path: str, correlation_id: str) -> dict:
        deliver(self.app)
        answers = [
            body
            for body in self.receiver.delivered(path)
            if body["message"]["correlation_id"] == correlation_id
        ]
        assert len(answers) == 1, answers
        assert official_problems(path, answers[0]) == []
        assert contract_problems(CALLBACK_SCHEMAS[path], answers[0]) == []
        return answers[0]

    def notifications(self) -> list[dict]:
        """The notify messages delivered so far, after a delivery round;
        each follows the official schema and the contract."""
        deliver(self.app)
        delivered = self.receiver.delivered("/registry/notify")
        for notification in delivered:
            assert official_problems("/registry/notify", notification) == []
            assert contract_problems("Notify", notification) == []
        return delivered


def deliver(registry_app, at: datetime | None = None) -> int:
    return run_once(registry_app, at=at)["delivered"]


def retire(registry_app, client_ids: list[str]) -> None:
    """End the clients' subscriptions and park what they were still to be sent."""
    with registry_app.extensions["registry.sessions"]() as session:
        session.execute(
            update(DciSubscription)
            .where(DciSubscription.client_id.in_(client_ids))
            .values(status="unsubscribe")
        )
        session.execute(
            update(DciCallback)
            .where(DciCallback.client_id.in_(client_ids), DciCallback.state == "waiting")
            .values(state="parked")
        )
        session.commit()


def register(inprocess, actor, village: str = OTHER_VILLAGE) -> dict:
    return inprocess.persons.create(person_content(address={"village_code": village}), actor=actor)


def records_of(notifications: list[dict]) -> list[dict]:
    return [
        event["data"]["reg_records"]
        for n in notifications
        for event in n["message"]["notify_event"]
    ]


# Notifications.
