"""Every page's first load fits one round trip on a slow network (≤ 14,600 B gzipped)."""

import datetime as dt
import re

import pytest

from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure

PAGES = [
    "/",
    "/?lang=en",
    "/about/data",
    "/no-such-page",
    "/eligibility",
    "/eligibility/q/birth-date",
    "/eligibility/q/work",
    "/eligibility/q/school",
    "/login",
    "/staff/login",
]
AFTER_ANSWERING = ["/eligibility/check", "/eligibility/results", "/eligibility/summary"]


def assert_within_budget(weight):
    assert weight.html_bytes > 500  # a real page was weighed
    assert weight.asset_bytes > 500  # and its stylesheet with it
    assert weight.total <= FIRST_ROUND_TRIP_BYTES, weight


@pytest.mark.parametrize("path", PAGES)
def test_first_load_is_within_budget(client, path):
    assert_within_budget(measure(client, path))


@pytest.mark.parametrize("path", AFTER_ANSWERING)
def test_screener_results_are_within_budget(client, path):
    # every question answered "I do not know": the longest results page
    while (question := client.get("/eligibility/next").location).startswith("/eligibility/q/"):
        body = client.get(question).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
        client.post(question, data={"action": "unknown", "csrf_token": token})
    assert_within_budget(measure(client, path))


def test_a_signed_in_page_with_its_script_is_within_budget(client):
    now = dt.datetime.now(dt.UTC).isoformat()
    with client.session_transaction() as session:
        session.update(
            citizen={"method": "sms", "phone": "+85512345678"}, signed_in_at=now, last_seen=now
        )
    weight = measure(client, "/eligibility")
    assert "session-timeout.js" in client.get("/eligibility").get_data(as_text=True)
    assert_within_budget(weight)
