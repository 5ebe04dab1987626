"""With PORTAL_REDIS_URL set, rate limits live in Redis, so every portal
process shares them (tested against the machine's Redis on loopback)."""

import uuid

import pytest
import redis

from portal import create_app
from portal.accounts.views import SEND_LIMIT
from tests.accounts.conftest import ask_for_code
from tests.conftest import make_test_config
from tests.support.redis_server import require_redis


@pytest.fixture
def redis_url():
    return require_redis()


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
    per_address = int(SEND_LIMIT.split()[0])
    statuses = [
        ask_for_code(client_one, f"012 {100000 + n}").status_code for n in range(per_address)
    ]
    assert statuses == [302] * per_address
    assert ask_for_code(client_two, "012 345 700").status_code == 429
    keys = redis.Redis.from_url(redis_url).keys(f"*{prefix}*")
    assert keys
    redis.Redis.from_url(redis_url).delete(*keys)
