"""The tracking form is rate-limited (failed tries: per address and per
reference), answers 429 with the usual page; hostile input on every tracking
form gives a form error or a 4xx, never a 500."""

from __future__ import annotations

import pytest

from portal.extensions import limiter
from portal.grievances.track_views import TRACK_LIMIT
from tests.grievances.conftest import make_case, move, post
from tests.grievances.test_track import act, english, track
from tests.registry.factories import new_phone

HOSTILE = ["\x00", "a\x00b", "x" * 5000, "1" * 20, "០" * 5000, "GR-2026-004217\x00", " "]


@pytest.fixture(autouse=True)
def fresh_limits(app):
    with app.app_context():
        limiter.reset()


def test_too_many_failed_tries_get_429(app):
    allowed = int(TRACK_LIMIT.split()[0])
    client = english(app)
    phone = new_phone()
    case = make_case(app, phone=phone)
    for number in range(allowed):
        assert track(client, f"GR-2026-{number:06d}", phone).status_code == 200
    stopped = track(client, case["reference"], phone)  # right this time, but too late
    assert stopped.status_code == 429
    assert stopped.headers["Retry-After"]


def test_a_match_does_not_count_against_the_limit(app):
    allowed = int(TRACK_LIMIT.split()[0])
    phone = new_phone()
    case = make_case(app, phone=phone)
    client = english(app)
    for _ in range(allowed + 2):
        assert track(client, case["reference"], phone).status_code == 302


def test_one_reference_is_limited_from_many_addresses(app):
    case = make_case(app, phone=new_phone())
    statuses = []
    for number in range(11):
        client = english(app)
        client.environ_base["REMOTE_ADDR"] = f"10.0.{number}.1"
        statuses.append(track(client, case["reference"], f"{number:06d}").status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["reference", "proof"])
def test_hostile_tracking_input(app, field, value):
    data = {"reference": "GR-2026-004217", "proof": "012345678", field: value}
    response = post(english(app), "/track", data)
    assert response.status_code == 200
    assert 'class="err-sum"' in response.get_data(as_text=True)


@pytest.fixture
def open_case(app):
    phone = new_phone()
    return make_case(app, phone=phone), phone


@pytest.fixture
def decided_case(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    return move(app, case, "resolved", decision_code="upheld"), phone


ACTIONS = [
    ("open", "information", "text"),
    ("decided", "satisfied", "satisfied"),
    ("decided", "reopen", "reason"),
    ("decided", "appeal", "reason"),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("which", "action", "field"), ACTIONS)
def test_hostile_action_input(app, open_case, decided_case, which, action, field, value):
    case, phone = open_case if which == "open" else decided_case
    client = english(app)
    assert track(client, case["reference"], phone).status_code == 302
    response = act(client, f"/track/case/{action}", {field: value})
    if value == "1" * 20 and field != "satisfied":
        assert response.status_code == 302  # digits are text a person may write
        return
    assert response.status_code == 400
    assert 'class="err-sum"' in response.get_data(as_text=True)
