"""The machine's Redis on loopback, for tests of what lives in Redis (db 15).
In CI (CI=true) a Redis that does not answer fails the test; elsewhere it skips."""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require_redis() -> str:
    """The test Redis URL, once Redis has answered."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI and is not answering at {REDIS_URL}")
        pytest.skip("Redis is not running")
    return REDIS_URL
