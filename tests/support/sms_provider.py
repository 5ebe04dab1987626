"""A stand-in for the SMS provider (outside our system): a loopback HTTP
server that records every message it accepts, and can refuse them all."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from werkzeug.wrappers import Request, Response

from tests.support.live_server import serve


@dataclass
class SmsProvider:
    url: str = ""
    received: list[dict] = field(default_factory=list)
    keys: list[str | None] = field(default_factory=list)  # Idempotency-Key of each
    refusing: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self) -> list[str]:
        with self._lock:
            return [message["text"] for message in self.received]

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if self.refusing:
            return Response("busy", status=503)(environ, start_response)
        with self._lock:
            self.received.append(json.loads(request.get_data()))
            self.keys.append(request.headers.get("Idempotency-Key"))
        return Response('{"status": "queued"}', mimetype="application/json")(
            environ, start_response
        )


@contextmanager
def sms_provider() -> Iterator[SmsProvider]:
    provider = SmsProvider()
    with serve(provider.wsgi) as url:
        provider.url = url + "/send"
        yield provider
