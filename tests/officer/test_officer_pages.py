"""The officer's pages on a slow office connection: each first load within one
round trip (14,600 gzipped bytes), search results and the pages of an assisted
session included, in Khmer (the longer script)."""

from __future__ import annotations

import pytest

from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.officer.conftest import act_for, open_record, person, token

PAGES = [
    "/officer",
    "/officer/walk-in",
    "/officer/changes",
    "/officer/grievances",
    "/officer/activity",
]
OPENED = ["/officer/record", "/officer/consent"]
WHILE_ACTING = ["/me", "/applications/new", "/grievances/new"]


@pytest.fixture
def villagers(app):
    return [person(app, name={"surname": "Chan", "given_name": f"Sokha{n}"}) for n in range(25)]


def test_every_officer_page_is_within_one_round_trip(app, officer, villagers):
    for path in PAGES:
        assert measure(officer, path).total <= FIRST_ROUND_TRIP_BYTES, path
    results = measure(
        officer,
        "/officer",
        method="POST",
        data={"csrf_token": token(officer, "/officer"), "query": "Chan Sokha"},
    )
    assert results.html_bytes > 2_000  # a page of 20 people was weighed
    assert results.total <= FIRST_ROUND_TRIP_BYTES
    open_record(officer, villagers[0]["spid"])
    for path in OPENED:
        assert measure(officer, path).total <= FIRST_ROUND_TRIP_BYTES, path
    act_for(officer)
    for path in WHILE_ACTING:
        weight = measure(officer, path)
        assert weight.total <= FIRST_ROUND_TRIP_BYTES, (path, weight)
