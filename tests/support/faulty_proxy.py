"""A loopback proxy in front of a real server that misbehaves on purpose:
answers 503 to every other request, or delays each one."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from werkzeug.wrappers import Request, Response

from tests.support.live_server import serve

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@contextmanager
def faulty_proxy(
    upstream: str, *, fail_every_other: bool = False, delay: float = 0.0
) -> Iterator[str]:
    counter = itertools.count()
    lock = threading.Lock()
    client = httpx.Client(base_url=upstream, timeout=30)

    def app(environ, start_response):
        request = Request(environ)
        with lock:
            number = next(counter)
        if fail_every_other and number % 2 == 0:
            return Response('{"errors": []}', status=503, mimetype="application/json")(
                environ, start_response
            )
        time.sleep(delay)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        answer = client.request(
            request.method,
            request.full_path if request.query_string else request.path,
            content=request.get_data(),
            headers=headers,
        )
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP]
        kept = [(k, v) for k, v in kept if k.lower() != "content-encoding"]
        return Response(answer.content, status=answer.status_code, headers=kept)(
            environ, start_response
        )

    try:
        with serve(app) as url:
            yield url
    finally:
        client.close()
