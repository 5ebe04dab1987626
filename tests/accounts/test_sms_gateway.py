"""The production SMS gateway speaks HTTP to the provider: tested against a real
HTTP server on loopback."""

import json
import time

import pytest
from werkzeug.wrappers import Request, Response

from portal.notifications.gateways import HttpGateway, SmsSendError
from tests.accounts.conftest import ask_for_code
from tests.conftest import development_app
from tests.support.live_server import serve
from tests.support.oidc import free_port


def test_sends_json_with_the_bearer_token():
    received = []

    def provider(environ, start_response):
        request = Request(environ)
        received.append((request.headers.get("Authorization"), json.loads(request.data)))
        return Response("{}", status=202, content_type="application/json")(environ, start_response)

    with serve(provider) as url:
        HttpGateway(url + "/sms", token="t0ken", sender="SocialProt").send("+85512345678", "ក ១២៣")
    assert received == [
        ("Bearer t0ken", {"to": "+85512345678", "text": "ក ១២៣", "from": "SocialProt"})
    ]


def test_a_refusal_is_an_error():
    def provider(environ, start_response):
        return Response("no credit", status=402)(environ, start_response)

    with serve(provider) as url, pytest.raises(SmsSendError):
        HttpGateway(url + "/sms", token="t", sender="S").send("+85512345678", "x")


def test_an_unreachable_provider_is_an_error():
    with pytest.raises(SmsSendError):
        HttpGateway(f"http://127.0.0.1:{free_port()}/sms", token="t", sender="S", timeout=2).send(
            "+85512345678", "x"
        )


def test_a_sign_in_code_waits_a_moment_for_room_within_the_providers_rate(tmp_path):
    app = development_app(tmp_path, SMS_RATE="1/second")
    client = app.test_client()
    started = time.monotonic()
    for phone in ("012 777 311", "012 777 312"):
        assert ask_for_code(client, phone).status_code == 302
        client.get("/logout")
    assert time.monotonic() - started >= 0.5  # the second waited for the first's second
    assert len(app.extensions["sms_gateway"].messages()) == 2
