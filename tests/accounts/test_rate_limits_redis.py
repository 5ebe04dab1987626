"""With PORTAL_REDIS_URL set, rate limits live in Redis, so every portal
process shares them (tested against the machine's Redis on loopback)."""

import os
import uuid

import pytest
import redis

from portal import create_app
from tests.accounts.conftest import ask_for_code
from tests.conftest import IN_CI, make_test_config

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail(f"Redis is required in CI and is not answering at {REDIS_URL}")
        pytest.skip("Redis is not running")
    return REDIS_URL


def test_limits_are_shared_between_portal_processes_through_redis(tmp_path, redis_url):
    prefix = f"portal-test-{uuid.uuid4().hex}"
    config = make_test_config(
        tmp_path,
        PORTAL_ENV="development",
        REDIS_URL=redis_url,
        RATELIMIT_KEY_PREFIX=prefix,
    )
    first, second = create_app(config), create_app(config)  # two "processes"
    client_one, client_two = first.test_client(), second.test_client()
    statuses = [ask_for_code(client_one, f"012 345 {600 + n}").status_code for n in range(10)]
    assert statuses == [302] * 10
    assert ask_for_code(client_two, "012 345 700").status_code == 429
    keys = redis.Redis.from_url(redis_url).keys(f"*{prefix}*")
    assert keys
    redis.Redis.from_url(redis_url).delete(*keys)
