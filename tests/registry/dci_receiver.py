"""A loopback DCI operator for tests: receives the registry's callbacks over real HTTP.

    with running_receiver() as receiver:
        base = receiver.base_url            # register it as the client's callback base
        receiver.fail_next(2)               # the next two POSTs are answered 500
        ...
        receiver.received("/registry/on-search")   # the JSON bodies POSTed to that path

Every POST is recorded (also the ones answered 500), by path, in the order received.
Successful POSTs are answered 200 with a DCI ack.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Flask, jsonify, request

from tests.support.live_server import serve


@dataclass
class ReceivedPost:
    """One POST the receiver got."""

    path: str
    body: object
    headers: dict[str, str]
    answered: int


@dataclass
class DciReceiver:
    """Records the POSTs it gets; can be told to fail the next N of them."""

    base_url: str = ""
    posts: list[ReceivedPost] = field(default_factory=list)
    _failures_left: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int) -> None:
        """Answer 500 to the next `count` POSTs (any path)."""
        with self._lock:
            self._failures_left = count

    def received(self, path: str | None = None) -> list[object]:
        """The JSON bodies received (at `path` when given), oldest first."""
        with self._lock:
            return [post.body for post in self.posts if path is None or post.path == path]

    def delivered(self, path: str | None = None) -> list[object]:
        """Like `received`, but only the POSTs answered with success."""
        with self._lock:
            return [
                post.body
                for post in self.posts
                if (path is None or post.path == path) and post.answered < 300
            ]

    def clear(self) -> None:
        with self._lock:
            self.posts.clear()
            self._failures_left = 0

    def _record(self, path: str, body: object, headers: dict[str, str]) -> int:
        with self._lock:
            status = 500 if self._failures_left > 0 else 200
            if self._failures_left > 0:
                self._failures_left -= 1
            self.posts.append(ReceivedPost(path, body, headers, status))
            return status

    def wsgi_app(self) -> Flask:
        app = Flask("dci_receiver")

        @app.post("/", defaults={"path": ""})
        @app.post("/<path:path>")
        def receive(path: str):
            body = request.get_json(silent=True)
            status = self._record("/" + path, body, dict(request.headers))
            if status >= 300:
                return jsonify(
                    {"errors": [{"code": "err.test.failure", "message": "told to fail"}]}
                ), status
            correlation_id = ""
            if isinstance(body, dict) and isinstance(body.get("message"), dict):
                correlation_id = str(body["message"].get("correlation_id", ""))
            ack = {
                "ack_status": "ACK",
                "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "correlation_id": correlation_id,
            }
            return jsonify({"message": ack}), 200

        return app


@contextmanager
def running_receiver() -> Iterator[DciReceiver]:
    """A DciReceiver served on 127.0.0.1; `base_url` is set while it runs."""
    receiver = DciReceiver()
    with serve(receiver.wsgi_app()) as base_url:
        receiver.base_url = base_url
        yield receiver
