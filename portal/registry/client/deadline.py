"""One deadline for all the registry calls of one piece of work (a portal request).

The portal starts it when a request begins (PORTAL_REGISTRY_DEADLINE, 5 s by
default) and ends it when the request ends. Every call, retry, backoff and
token fetch in between gets only the time that is left, so a slow or hung
registry can never hold a request longer than the deadline. Outside a
deadline (command-line jobs), calls use the connection's own timeouts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

_ends_at: ContextVar[float | None] = ContextVar("registry_deadline", default=None)


def start(seconds: float) -> Token:
    """Start a deadline `seconds` from now; give the token to `end()`."""
    return _ends_at.set(time.monotonic() + seconds)


def end(token: Token) -> None:
    _ends_at.reset(token)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    token = start(seconds)
    try:
        yield
    finally:
        end(token)


def seconds_left() -> float | None:
    """Time left before the deadline (may be negative), or None without one."""
    ends_at = _ends_at.get()
    return None if ends_at is None else ends_at - time.monotonic()
