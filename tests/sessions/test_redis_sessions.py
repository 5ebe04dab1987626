"""With PORTAL_REDIS_URL set, sessions live in Redis (the machine's Redis on
loopback), shared by every portal process; signing out deletes them there."""

from __future__ import annotations

import pytest
import redis

from portal import create_app
from portal.web.session_store import REDIS_PREFIX
from tests.conftest import PageCheckingClient, make_test_config
from tests.sessions.conftest import copy_of
from tests.sessions.test_server_sessions import SIGNED_IN_MARK, sign_in_citizen
from tests.staff.conftest import create_staff, post_form, sign_in
from tests.support.redis_server import REDIS_URL, require_redis


@pytest.fixture
def redis_app(tmp_path):
    require_redis()
    config = make_test_config(tmp_path, PORTAL_ENV="development", REDIS_URL=REDIS_URL)
    app = create_app(config)
    app.test_client_class = PageCheckingClient
    return app


def stored_in_redis(app, client) -> bool:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    key = app.session_interface.key_for(app, cookie)
    return redis.Redis.from_url(REDIS_URL).exists(REDIS_PREFIX + key) == 1


def test_a_copied_cookie_is_anonymous_after_sign_out(redis_app):
    client = redis_app.test_client()
    sign_in_citizen(client, redis_app)
    thief = copy_of(redis_app, client)
    assert stored_in_redis(redis_app, client)
    ttl = redis.Redis.from_url(REDIS_URL).ttl(
        REDIS_PREFIX
        + redis_app.session_interface.key_for(redis_app, client.get_cookie("portal_session").value)
    )
    assert 0 < ttl <= 31 * 60  # the idle limit, enforced by Redis too
    client.post("/logout")
    assert SIGNED_IN_MARK not in thief.get("/").get_data(as_text=True)
    assert not stored_in_redis(redis_app, thief)


def test_another_process_sees_the_same_session(redis_app, tmp_path):
    client = redis_app.test_client()
    sign_in_citizen(client, redis_app)
    config = make_test_config(tmp_path, PORTAL_ENV="development", REDIS_URL=REDIS_URL)
    other_process = create_app(config)
    assert SIGNED_IN_MARK in copy_of(other_process, client).get("/").get_data(as_text=True)


def test_a_password_change_ends_the_other_sessions_in_redis(redis_app):
    secret = create_staff(redis_app, "officer.redis")
    here, elsewhere = redis_app.test_client(), redis_app.test_client()
    sign_in(here, "officer.redis", secret)
    sign_in(elsewhere, "officer.redis", secret, steps_ahead=1)
    old_elsewhere = copy_of(redis_app, elsewhere)
    changed = post_form(
        here,
        "/staff/password?lang=en",
        current_password="long enough pass phrase 42",
        new_password="another long pass phrase 9",
        confirm_password="another long pass phrase 9",
    )
    assert changed.status_code == 302
    assert not stored_in_redis(redis_app, old_elsewhere)
    assert here.get("/staff/").status_code == 200
