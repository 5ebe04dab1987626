"""DCI asynchronous search over real HTTP: acknowledged at once, answered by the
exchange runner with an on-search callback to the operator's registered
address (a loopback receiver), signed, retried, delivered once."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from portal.registry.server import signatures
from portal.registry.server.client_settings import checked_callback_url, set_callback_url
from portal.registry.server.exchange import run_once
from portal.registry.server.models import DciCallback, DciTransaction, OAuthClient
from tests.registry.conftest import actor_headers, new_credentials, token_for
from tests.registry.dci_official import problems
from tests.registry.dci_receiver import DciReceiver
from tests.registry.factories import new_nin, person_content

SCOPES = ("registry.search", "registry.read")


class Operator:
    """A DCI client with a token and a receiver registered as its callback base."""

    def __init__(self, registry_app, http: httpx.Client, receiver: DciReceiver | None) -> None:
        self.credentials = new_credentials(registry_app, SCOPES)
        self.token = token_for(http, self.credentials)
        self.receiver = receiver
        self.http = http
        if receiver is not None:
            register_callback(registry_app, self.credentials["client_id"], receiver.base_url)

    def post(self, path: str, body: object, **headers: str) -> httpx.Response:
        return self.http.post(
            path, json=body, headers={"Authorization": f"Bearer {self.token}", **headers}
        )


def client_name(registry_app, client_id: str) -> str:
    with registry_app.extensions["registry.sessions"]() as session:
        return session.get(OAuthClient, client_id).name


def register_callback(registry_app, client_id: str, url: str | None) -> None:
    name = client_name(registry_app, client_id)
    with registry_app.extensions["registry.sessions"]() as session:
        if url is None:
            session.get(OAuthClient, client_id).callback_url = None
            session.commit()
        else:
            set_callback_url(session, name, url)


def search_body(nin: str, *, sender_uri: str | None = None, references=("ref-1",)) -> dict:
    header = {
        "version": "1.0.0",
        "message_id": str(uuid.uuid4()),
        "message_ts": datetime.now(UTC).isoformat(),
        "action": "search",
        "sender_id": "operator.example.org",
        "total_count": len(references),
    }
    if sender_uri is not None:
        header["sender_uri"] = sender_uri
    items = [
        {
            "reference_id": reference,
            "timestamp": datetime.now(UTC).isoformat(),
            "search_criteria": {
                "query_type": "idtype-value",
                "query": {"type": "NIN", "value": nin},
                "consent": {"purpose": "programme-enrolment"},
            },
            "locale": "eng",
        }
        for reference in references
    ]
    return {
        "header": header,
        "message": {"transaction_id": str(uuid.uuid4()), "search_request": items},
    }


def create_person(http: httpx.Client, credentials: dict) -> tuple[str, str]:
    """A new person with a national ID: (person id, NIN)."""
    nin = new_nin()
    content = person_content(identifier=[{"identifier_type": "NIN", "identifier_value": nin}])
    response = http.post(
        "/data/persons/1.0/create",
        json={"write": {"content": content}},
        headers=actor_headers(token_for(http, credentials)),
    )
    assert response.status_code in (200, 201), response.text
    return response.json()["id"], nin


def later(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


@pytest.fixture
def operator(registry_app, http, receiver) -> Operator:
    return Operator(registry_app, http, receiver)


def test_an_async_search_is_acknowledged_then_answered_once_as_the_sync_search(
    registry_app, http, credentials, operator
):
    _, nin = create_person(http, credentials)
    body = search_body(nin, references=("ref-1", "ref-2"))
    body["message"]["search_request"][1]["search_criteria"]["sort"] = [
        {"attribute_name": "shoe_size"}
    ]

    response = operator.post("/registry/search", body)

    assert response.status_code == 200, response.text
    ack = response.json()
    assert problems("ack_response", ack) == []
    assert ack["message"]["ack_status"] == "ACK"
    correlation_id = ack["message"]["correlation_id"]
    assert operator.receiver.received() == []  # nothing before the runner runs

    run_once(registry_app)
    run_once(registry_app)

    posts = operator.receiver.received()
    assert len(posts) == 1 and operator.receiver.received("/registry/on-search") == posts
    answer = posts[0]
    assert problems("sync_search_response", answer) == []
    assert answer["header"]["action"] == "on-search"
    assert answer["message"]["correlation_id"] == correlation_id
    assert answer["message"]["transaction_id"] == body["message"]["transaction_id"]
    same = {**body, "header": {**body["header"], "message_id": str(uuid.uuid4())}}
    sync = operator.post("/registry/sync/search", same)
    sync_items = sync.json()["message"]["search_response"]
    assert without_timestamps(answer["message"]["search_response"]) == without_timestamps(
        sync_items
    )
    assert answer["message"]["search_response"][0]["data"]["reg_records"][0]["identifier"]
    assert answer["message"]["search_response"][1]["status_reason_code"] == "rjct.sort.invalid"
    keys = http.get("/registry/signing-keys").json()["keys"]
    assert signatures.verify_envelope(answer, keys[0]["public_key"])


def without_timestamps(items: list[dict]) -> list[dict]:
    return [{name: value for name, value in item.items() if name != "timestamp"} for item in items]


def test_persons_answered_asynchronously_are_in_their_access_log(
    registry_app, http, credentials, operator
):
    person_id, nin = create_person(http, credentials)
    operator.post("/registry/search", search_body(nin)).raise_for_status()
    run_once(registry_app)
    token = token_for(http, credentials)
    log = http.get(f"/data/persons/1.0/{person_id}/access-log", headers=actor_headers(token))
    entries = [
        entry
        for entry in log.json()["results"]
        if entry["client_id"] == operator.credentials["client_id"]
    ]
    assert [(entry["action"], entry["purpose"]) for entry in entries] == [
        ("search", "programme-enrolment")
    ]


def test_the_accountability_headers_are_kept_for_the_answer(
    registry_app, http, credentials, operator
):
    person_id, nin = create_person(http, credentials)
    headers = {"X-Actor": "staff:officer-7", "X-On-Behalf-Of": "", "X-Purpose": "case-review"}
    operator.post("/registry/search", search_body(nin), **headers).raise_for_status()
    run_once(registry_app)
    token = token_for(http, credentials)
    log = http.get(f"/data/persons/1.0/{person_id}/access-log", headers=actor_headers(token))
    mine = [e for e in log.json()["results"] if e["client_id"] == operator.credentials["client_id"]]
    assert [(e["actor"], e["purpose"]) for e in mine] == [("staff:officer-7", "case-review")]


def test_a_failing_receiver_gets_the_answer_on_the_third_run(registry_app, operator):
    operator.receiver.fail_next(2)
    operator.post("/registry/search", search_body(new_nin())).raise_for_status()

    run_once(registry_app)
    run_once(registry_app, at=later(1))
    assert len(operator.receiver.received()) == 2 and operator.receiver.delivered() == []
    run_once(registry_app, at=later(2))
    run_once(registry_app, at=later(3))

    assert len(operator.receiver.received()) == 3
    assert len(operator.receiver.delivered("/registry/on-search")) == 1


def test_two_runners_at_once_deliver_each_answer_once(registry_app, operator):
    for _ in range(3):
        operator.post("/registry/search", search_body(new_nin())).raise_for_status()
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            for _ in range(3):
                run_once(registry_app)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    answers = operator.receiver.received("/registry/on-search")
    assert len(answers) == 3
    assert len({answer["message"]["correlation_id"] for answer in answers}) == 3


def test_a_search_left_pending_by_a_dead_worker_is_taken_again(registry_app, operator):
    ack = operator.post("/registry/search", search_body(new_nin())).json()
    correlation_id = ack["message"]["correlation_id"]
    with registry_app.extensions["registry.sessions"]() as session:
        transaction = session.get(DciTransaction, correlation_id)
        transaction.status, transaction.claimed_at = "pdng", datetime.now(UTC)
        session.commit()

    run_once(registry_app)
    assert operator.receiver.received() == []  # another worker may still be on it
    run_once(registry_app, at=later(6))

    answers = operator.receiver.received("/registry/on-search")
    assert [answer["message"]["correlation_id"] for answer in answers] == [correlation_id]


def test_a_client_without_a_callback_address_gets_400(registry_app, http):
    operator = Operator(registry_app, http, None)
    response = operator.post("/registry/search", search_body(new_nin()))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "err.sender_uri.invalid"


@pytest.mark.parametrize(
    "sender_uri",
    ["https://elsewhere.example.org/registry/on-search", "{base}x/on-search", "{other_port}"],
)
def test_a_sender_uri_outside_the_registered_address_gets_400(operator, sender_uri):
    base = operator.receiver.base_url
    port = int(base.rsplit(":", 1)[1])
    uri = sender_uri.format(base=base, other_port=f"http://127.0.0.1:{port + 1}/registry")
    response = operator.post("/registry/search", search_body(new_nin(), sender_uri=uri))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "err.sender_uri.invalid"


def test_the_answer_goes_to_a_sender_uri_under_the_registered_address(registry_app, operator):
    uri = operator.receiver.base_url + "/programme-a/on-search"
    operator.post("/registry/search", search_body(new_nin(), sender_uri=uri)).raise_for_status()
    operator.post("/registry/search", search_body(new_nin(), sender_uri="")).raise_for_status()
    run_once(registry_app)
    assert len(operator.receiver.received("/programme-a/on-search")) == 1
    assert len(operator.receiver.received("/registry/on-search")) == 1  # empty: the default


def test_a_client_whose_address_was_removed_is_not_answered(registry_app, http, operator):
    ack = operator.post("/registry/search", search_body(new_nin())).json()
    register_callback(registry_app, operator.credentials["client_id"], None)
    run_once(registry_app)
    with registry_app.extensions["registry.sessions"]() as session:
        transaction = session.get(DciTransaction, ack["message"]["correlation_id"])
        assert (transaction.status, transaction.answer) == ("rjct", None)
        queued = session.scalars(
            select(DciCallback).where(DciCallback.client_id == operator.credentials["client_id"])
        ).all()
    assert queued == [] and operator.receiver.received() == []


def test_a_repeated_message_id_is_refused_in_the_callback_header(registry_app, operator):
    body = search_body(new_nin())
    operator.post("/registry/search", body).raise_for_status()
    operator.post("/registry/search", body).raise_for_status()
    run_once(registry_app)
    headers = [answer["header"] for answer in operator.receiver.received("/registry/on-search")]
    assert sorted(header["status"] for header in headers) == ["rjct", "succ"]
    refused = next(header for header in headers if header["status"] == "rjct")
    assert refused["status_reason_code"] == "rjct.message_id.duplicate"
    for answer in operator.receiver.received():
        assert problems("sync_search_response", answer) == []


@pytest.mark.parametrize(
    "path", ["/registry/search", "/registry/txn/status", "/registry/sync/txn/status"]
)
def test_hostile_bodies_get_4xx(operator, path):
    headers = {"Authorization": f"Bearer {operator.token}", "Content-Type": "application/json"}
    nul = search_body(new_nin())
    nul["message"]["transaction_id"] = "abc\u0000def"
    deep = "[" * 5000 + "]" * 5000
    large = search_body(new_nin())
    large["header"]["meta"] = {"padding": "x" * 300_000}
    for content in (
        httpx.Request("POST", "/", json=nul).content,
        deep.encode(),
        httpx.Request("POST", "/", json=large).content,
        b"\xff\xfe not json",
        b'{"header": {"sender_id": 1e999}}',
    ):
        response = operator.http.post(path, content=content, headers=headers)
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert operator.receiver.received() == []


def test_the_scope_registry_search_is_needed(registry_app, http, receiver):
    credentials = new_credentials(registry_app, ("registry.read",))
    token = token_for(http, credentials)
    response = http.post(
        "/registry/search",
        json=search_body(new_nin()),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert http.post("/registry/search", json=search_body(new_nin())).status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "http://operator.example.org/dci",
        "ftp://127.0.0.1/dci",
        "https://operator.example.org/dci?x=1",
        "https://user:secret@operator.example.org/dci",
        "https://operator.example.org/dci#part",
        "https://",
        "https://operator.example.org:99999/dci",
        "https://operator.example.org/d ci",
        "https://operator.example.org/" + "a" * 600,
    ],
)
def test_callback_addresses_must_be_https_or_loopback(url):
    with pytest.raises(ValueError):
        checked_callback_url(url)


def test_callback_addresses_that_are_accepted():
    assert checked_callback_url("https://operator.example.org/dci/") == (
        "https://operator.example.org/dci"
    )
    assert checked_callback_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert checked_callback_url("http://localhost/x") == "http://localhost/x"
    assert checked_callback_url("http://[::1]:9000/") == "http://[::1]:9000"


def test_the_operator_sets_a_callback_address_from_the_command_line(registry_app):
    credentials = new_credentials(registry_app, SCOPES)
    name = client_name(registry_app, credentials["client_id"])
    runner = registry_app.test_cli_runner()

    done = runner.invoke(args=["registry-client", "set-callback", name, "https://op.example.org/"])
    refused = runner.invoke(args=["registry-client", "set-callback", name, "http://op.example.org"])
    unknown = runner.invoke(args=["registry-client", "set-callback", "nobody-x", "https://a.org"])

    assert done.exit_code == 0 and '"callback_url": "https://op.example.org"' in done.output
    assert refused.exit_code != 0 and "loopback" in refused.output
    assert unknown.exit_code != 0
    with registry_app.extensions["registry.sessions"]() as session:
        assert session.get(OAuthClient, credentials["client_id"]).callback_url == (
            "https://op.example.org"
        )


def test_the_exchange_command_runs_once(registry_app, operator):
    operator.post("/registry/search", search_body(new_nin())).raise_for_status()
    result = registry_app.test_cli_runner().invoke(args=["registry", "exchange", "--once"])
    assert result.exit_code == 0, result.output
    assert "searches answered" in result.output
    assert len(operator.receiver.received("/registry/on-search")) == 1


def test_an_embedded_registry_is_exchanged_by_the_portals_outbox_worker(tmp_path):
    from portal import create_app
    from portal.outbox.jobs import jobs
    from portal.registry_access import run_exchange
    from tests.conftest import make_test_config

    app = create_app(make_test_config(tmp_path))
    assert "registry-exchange" in {job.name for job in jobs(app)}
    with app.app_context():
        assert run_exchange(app) == "0 searches answered, 0 callbacks delivered"
    remote = create_app(make_test_config(tmp_path, REGISTRY_URL="https://registry.example.org"))
    assert "registry-exchange" not in {job.name for job in jobs(remote)}


def test_once_delivered_the_registry_keeps_no_second_copy_of_the_records(
    registry_app, http, credentials, operator
):
    _, nin = create_person(http, credentials)
    correlation_id = operator.post("/registry/search", search_body(nin)).json()["message"][
        "correlation_id"
    ]
    run_once(registry_app)
    (answer,) = operator.receiver.received("/registry/on-search")
    assert answer["message"]["search_response"][0]["data"]["reg_records"]
    with registry_app.extensions["registry.sessions"]() as session:
        kept = session.get(DciTransaction, correlation_id)
        assert kept.status == "succ"
        assert "data" not in kept.answer["message"]["search_response"][0]
        sent = session.scalars(
            select(DciCallback).where(DciCallback.client_id == operator.credentials["client_id"])
        ).all()
        assert [(c.state, c.body) for c in sent] == [("delivered", {})]
