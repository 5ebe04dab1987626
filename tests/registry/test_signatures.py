"""DCI message signatures: clients' signed requests are verified, the registry signs
its answers, and operators check them with the key the registry publishes."""

from __future__ import annotations

import base64
import json
import stat
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from portal.registry.server.signature_format import DCI_ED25519, SignatureParts
from portal.registry.server.signatures import signed, verify_envelope
from tests.registry.conftest import build_registry_app, token_for
from tests.registry.dci_signing import public_key_b64, sign_request, signing_string

SEARCH = "/registry/sync/search"


@dataclass
class SigningClient:
    """A DCI client of the registry with a registered signing key."""

    name: str
    sender_id: str
    key_id: str
    private_key: Ed25519PrivateKey
    token: str

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def sign(self, body: dict, **times) -> dict:
        return sign_request(body, self.private_key, self.sender_id, self.key_id, **times)


def _cli(registry_app, *args: str):
    return registry_app.test_cli_runner().invoke(args=list(args))


def _create_client(registry_app, http: httpx.Client, name: str) -> str:
    created = _cli(registry_app, "registry-client", "create", name, "--scopes", "registry.search")
    assert created.exit_code == 0, created.output
    return token_for(http, json.loads(created.output))


@pytest.fixture
def client(registry_app, http) -> SigningClient:
    name = f"signer-{uuid.uuid4().hex[:8]}"
    token = _create_client(registry_app, http, name)
    private_key = Ed25519PrivateKey.generate()
    added = _cli(
        registry_app, "registry-client", "add-key", name, "key-1", public_key_b64(private_key)
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["key_id"] == "key-1"
    return SigningClient(name, f"operator-{name}", "key-1", private_key, token)


def search_body(sender_id: str) -> dict:
    """A search by SPID, as an operator following the official examples sends it."""
    moment = datetime.now(UTC).isoformat()
    return {
        "header": {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": moment,
            "action": "search",
            "sender_id": sender_id,
            "total_count": 1,
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [
                {
                    "reference_id": "1",
                    "timestamp": moment,
                    "search_criteria": {
                        "version": "1.0.0",
                        "reg_type": "ns:org:RegistryType:Social",
                        "query_type": "idtype-value",
                        "query": {"type": "SPID", "value": "KH-0000-0000-0000"},
                        "pagination": {"page_size": 10, "page_number": 1},
                    },
                }
            ],
        },
    }


def _refused(response: httpx.Response, code: str = "err.signature.invalid") -> None:
    assert response.status_code == 401, response.text
    assert [error["code"] for error in response.json()["errors"]] == [code]


def _published_key(http: httpx.Client) -> str:
    response = http.get("/registry/signing-keys")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["algorithm"] == "ed25519"
    return key["public_key"]


# --- Requests ---------------------------------------------------------------


def test_a_signed_search_is_answered_with_a_signature_the_published_key_verifies(
    http, client, registry_app
):
    response = http.post(
        SEARCH, json=client.sign(search_body(client.sender_id)), headers=client.headers()
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer)[:3] == ["signature", "header", "message"]
    registry_id = registry_app.config["REGISTRY_ID"]
    assert f'kidId="{registry_id}|registry-1|ed25519"' in answer["signature"]

    public_key = _published_key(http)
    assert verify_envelope(answer, public_key)
    changed = json.loads(json.dumps(answer))
    changed["message"]["search_response"][0]["status"] = "rjct"
    assert not verify_envelope(changed, public_key)
    assert not verify_envelope(answer, public_key_b64(Ed25519PrivateKey.generate()))
    # Past its expiry (one hour) the answer's signature is no longer valid.
    assert not verify_envelope(answer, public_key, at=time.time() + 3700)


def test_the_key_may_be_named_keyId_as_well_as_kidId(http, client):
    body = client.sign(search_body(client.sender_id))
    body["signature"] = body["signature"].replace("kidId=", "keyId=")
    assert http.post(SEARCH, json=body, headers=client.headers()).status_code == 200


def test_a_signature_by_another_key_is_refused(http, client):
    forger = Ed25519PrivateKey.generate()
    body = sign_request(search_body(client.sender_id), forger, client.sender_id, client.key_id)
    _refused(http.post(SEARCH, json=body, headers=client.headers()))


def test_a_message_changed_after_signing_is_refused(http, client):
    body = client.sign(search_body(client.sender_id))
    body["message"]["search_request"][0]["search_criteria"]["query"]["value"] = "KH-1111-1111-1111"
    _refused(http.post(SEARCH, json=body, headers=client.headers()))
    header_changed = client.sign(search_body(client.sender_id))
    header_changed["header"]["message_id"] = str(uuid.uuid4())
    _refused(http.post(SEARCH, json=header_changed, headers=client.headers()))


def test_expired_future_and_backwards_signatures_are_refused(http, client):
    now = int(time.time())
    for created, expires in (
        (now - 7200, now - 60),  # expired a minute ago
        (now + 3600, now + 7200),  # made an hour from now
        (now, now - 1),  # expires before it is created
    ):
        body = client.sign(search_body(client.sender_id), created=created, expires=expires)
        _refused(http.post(SEARCH, json=body, headers=client.headers()))
    # A little clock skew is tolerated.
    skewed = client.sign(search_body(client.sender_id), created=now + 60, expires=now + 600)
    assert http.post(SEARCH, json=skewed, headers=client.headers()).status_code == 200


def test_a_key_of_another_client_is_refused(http, registry_app, client):
    name = f"other-{uuid.uuid4().hex[:8]}"
    _create_client(registry_app, http, name)
    other_key = Ed25519PrivateKey.generate()
    added = _cli(
        registry_app, "registry-client", "add-key", name, "other-key", public_key_b64(other_key)
    )
    assert added.exit_code == 0, added.output
    # Correctly signed with the other client's registered key, sent with this client's token.
    body = sign_request(search_body(client.sender_id), other_key, client.sender_id, "other-key")
    _refused(http.post(SEARCH, json=body, headers=client.headers()))


def test_a_key_id_naming_another_sender_is_refused(http, client):
    body = sign_request(
        search_body(client.sender_id), client.private_key, "someone-else", client.key_id
    )
    _refused(http.post(SEARCH, json=body, headers=client.headers()))


def _with_parameter(text: str, name: str, value: str) -> str:
    start = text.index(f'{name}="') + len(name) + 2
    return text[:start] + value + text[text.index('"', start) :]


MALFORMED = {
    "the official example's placeholder": lambda text: (
        'Signature:  namespace="dci", kidId="{sender_id}|{unique_key_id}|{algorithm}", '
        'algorithm="ed25519", created="1606970629", expires="1607030629", '
        'headers="(created) (expires) digest", signature="Base64(signing content)'
    ),
    "not parameters": lambda text: "ed25519 please trust me",
    "a missing closing quote": lambda text: text[:-1],
    "a trailing comma": lambda text: text + ",",
    "a parameter twice": lambda text: text + ', algorithm="ed25519"',
    "an unknown parameter": lambda text: text + ', nonce="1"',
    "no kid": lambda text: text.replace('kidId="', 'kid="'),
    "kidId and keyId": lambda text: text + ', keyId="x|y|ed25519"',
    "another algorithm": lambda text: text.replace("ed25519", "rsa-sha256"),
    "other headers": lambda text: _with_parameter(text, "headers", "(created) digest"),
    "a signature value that is not base64": lambda text: _with_parameter(
        text, "signature", "not base64!"
    ),
    "a short signature value": lambda text: _with_parameter(text, "signature", "AAAA"),
    "created not in seconds": lambda text: _with_parameter(text, "created", "yesterday"),
    "a kid without key id": lambda text: text.replace("|key-1|", "||"),
    "a control character": lambda text: text.replace("key-1", "key\x01-1"),
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_signature_is_refused(http, client, change):
    body = client.sign(search_body(client.sender_id))
    body["signature"] = change(body["signature"])
    _refused(http.post(SEARCH, json=body, headers=client.headers()))


def test_refusals_log_neither_the_message_nor_the_signature(http, client, caplog):
    forged = sign_request(
        search_body(client.sender_id), Ed25519PrivateKey.generate(), client.sender_id, "key-1"
    )
    with caplog.at_level("DEBUG"):
        _refused(http.post(SEARCH, json=forged, headers=client.headers()))
    value = forged["signature"].rsplit('signature="', 1)[1].rstrip('"')
    assert "signature refused" in caplog.text
    for secret in (value, forged["header"]["message_id"], "KH-0000-0000-0000"):
        assert secret not in caplog.text


def test_a_signature_that_is_not_text_is_refused(http, client):
    body = client.sign(search_body(client.sender_id))
    body["signature"] = {"value": "x"}
    assert http.post(SEARCH, json=body, headers=client.headers()).status_code in (401, 422)


def test_a_client_with_a_key_must_sign(http, client):
    unsigned = search_body(client.sender_id)
    _refused(http.post(SEARCH, json=unsigned, headers=client.headers()), "err.signature.missing")
    empty = {"signature": "", **search_body(client.sender_id)}
    _refused(http.post(SEARCH, json=empty, headers=client.headers()), "err.signature.missing")


def test_a_revoked_key_is_refused_and_then_signing_is_optional(http, registry_app, client):
    revoked = _cli(registry_app, "registry-client", "revoke-key", client.name, client.key_id)
    assert revoked.exit_code == 0, revoked.output
    assert json.loads(revoked.output)["revoked_at"]
    _refused(
        http.post(SEARCH, json=client.sign(search_body(client.sender_id)), headers=client.headers())
    )
    # Without an active key the client may send unsigned messages; answers are unsigned too.
    response = http.post(SEARCH, json=search_body(client.sender_id), headers=client.headers())
    assert response.status_code == 200, response.text
    assert "signature" not in response.json()


def test_a_client_without_keys_is_answered_unsigned(http, registry_app):
    token = _create_client(registry_app, http, f"unsigned-{uuid.uuid4().hex[:8]}")
    body = {"signature": "", **search_body("an-operator")}
    response = http.post(SEARCH, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert "signature" not in response.json()


def test_a_client_without_keys_cannot_send_a_signature_it_cannot_back(http, registry_app):
    token = _create_client(registry_app, http, f"unsigned-{uuid.uuid4().hex[:8]}")
    body = sign_request(
        search_body("an-operator"), Ed25519PrivateKey.generate(), "an-operator", "k"
    )
    _refused(http.post(SEARCH, json=body, headers={"Authorization": f"Bearer {token}"}))


# --- Keys of clients ----------------------------------------------------------


def test_add_key_refuses_what_is_not_a_usable_key(registry_app, client):
    good = public_key_b64(Ed25519PrivateKey.generate())
    for name, key_id, public_key in (
        (client.name, "k2", "not base64!"),
        (client.name, "k2", base64.b64encode(b"x" * 31).decode()),
        (client.name, "k2", base64.b64encode(b"x" * 64).decode()),
        (client.name, "k2", good.rstrip("=")),
        (client.name, "bad|id", good),
        (client.name, "", good),
        (client.name, client.key_id, good),  # already taken
        (f"nobody-{uuid.uuid4().hex[:8]}", "k2", good),
    ):
        result = _cli(registry_app, "registry-client", "add-key", name, key_id, public_key)
        assert result.exit_code != 0, (key_id, public_key)
        assert "Error" in result.output
    assert _cli(registry_app, "registry-client", "add-key", client.name, "k2", good).exit_code == 0


def test_revoke_key_refuses_an_unknown_key(registry_app, client):
    result = _cli(registry_app, "registry-client", "revoke-key", client.name, "no-such-key")
    assert result.exit_code != 0


# --- The registry's key -------------------------------------------------------


def test_signing_keys_need_no_token_and_hold_only_public_keys(http):
    response = http.get("/registry/signing-keys")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert set(key) == {"key_id", "algorithm", "public_key"}
    assert len(base64.b64decode(key["public_key"], validate=True)) == 32


def test_signed_callbacks_verify_with_the_published_key(registry_app, http):
    envelope = {"header": {"sender_id": registry_app.config["REGISTRY_ID"]}, "message": {"a": "ក"}}
    with registry_app.app_context():
        signed_envelope = signed({"signature": "old", **envelope})
    assert list(signed_envelope) == ["signature", "header", "message"]
    assert verify_envelope(signed_envelope, _published_key(http))


def test_the_signing_string_is_the_documented_one():
    header, message = {"sender_id": "s", "b": 1, "a": "ខ្មែរ"}, {"x": [1, {"z": None, "y": True}]}
    parts = SignatureParts("s", "k", "ed25519", 1700000000, 1700000600, b"")
    ours = DCI_ED25519.signing_string(parts, {"header": header, "message": message})
    assert ours == signing_string(header, message, 1700000000, 1700000600)


def _key_app(database_url, instance_path, **config):
    app = build_registry_app(database_url, instance_path, **config)
    app.extensions["registry.engine"].dispose()
    return app


def _public_key_of(app) -> str:
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost") as web:
        return _published_key(web)


def test_a_generated_key_is_kept_private_in_the_instance_folder(database_url, tmp_path):
    first = _key_app(database_url, tmp_path)
    key_file = tmp_path / "registry-signing-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = _key_app(database_url, tmp_path)
    assert _public_key_of(first) == _public_key_of(again)


def test_a_configured_key_and_key_id_are_used(database_url, tmp_path):
    private_key = Ed25519PrivateKey.generate()
    seed = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    app = _key_app(
        database_url,
        tmp_path,
        REGISTRY_SIGNING_KEY=base64.b64encode(seed).decode(),
        REGISTRY_SIGNING_KEY_ID="registry-2026",
    )
    assert _public_key_of(app) == public_key_b64(private_key)
    assert not (tmp_path / "registry-signing-key").exists()
    with app.app_context():
        envelope = signed({"header": {"sender_id": app.config["REGISTRY_ID"]}, "message": {}})
    assert "|registry-2026|ed25519" in envelope["signature"]
    assert verify_envelope(envelope, public_key_b64(private_key))


def test_a_malformed_configured_key_stops_the_start(database_url, tmp_path):
    with pytest.raises(RuntimeError, match="REGISTRY_SIGNING_KEY"):
        build_registry_app(database_url, tmp_path, REGISTRY_SIGNING_KEY="c2hvcnQ=")
