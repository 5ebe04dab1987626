"""The list of requests, one request's page (what was asked, status, history,
documents), decisions made by an officer, withdrawing, and other people's
requests (404)."""

from __future__ import annotations

import re

import pytest

from portal.registry.server.seed import demo_id
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.changes.conftest import (
    ask_for,
    change_requests_of,
    decide,
    demo_person,
    post,
    read_change,
    text,
    token,
)
from tests.changes.test_asking import new_village, place_answers

DEMO_REQUEST = demo_id("change-request-0")  # household 0's head: a new phone, submitted
OTHERS = [demo_id("change-request-5"), demo_id("change-request-10")]
LINK = re.compile(r'href="/me/changes/([0-9a-f-]{36})"')


def newest_id(client) -> str:
    return LINK.search(text(client.get("/me/changes"))).group(1)


def test_the_list_shows_requests_newest_first_with_plain_status_words(app, citizen):
    page = text(citizen.get("/me/changes"))
    assert "លេខទូរសព្ទថ្មី" in page and "បានទទួល" in page  # new phone number, received
    assert 'href="/me/changes/new"' in page
    ask_for(citizen, "address", place_answers())
    page = text(citizen.get("/me/changes"))
    ids = LINK.findall(page)
    assert len(ids) == 2 and ids[1] == DEMO_REQUEST
    assert page.index("ផ្លាស់ទីលំនៅ") < page.index("លេខទូរសព្ទថ្មី")  # moved house first


def test_a_request_page_says_what_was_asked_and_what_to_bring(app, citizen):
    ask_for(citizen, "address", place_answers(), justification="ផ្ទះថ្មី")
    page = text(citizen.get(f"/me/changes/{newest_id(citizen)}"))
    assert "ផ្លាស់ទីលំនៅ" in page and "បានទទួល" in page
    assert "CR-២០" in page
    assert "ផ្ទះថ្មី" in page
    assert "លិខិតពីមេភូមិថ្មីរបស់អ្នក" in page
    assert 'href="/me/changes/' in page and "/withdraw" in page


def test_an_approved_move_shows_the_new_village_in_the_record(app, citizen):
    ask_for(citizen, "address", place_answers())
    change_id = newest_id(citizen)
    decide(app, change_id, "in_review")
    assert "កំពុងពិនិត្យ" in text(citizen.get(f"/me/changes/{change_id}"))
    decide(app, change_id, "approved", reason="checked the letter")
    assert read_change(app, change_id)["applied_at"]
    assert demo_person(app)["address"]["village_code"] == new_village()[3]
    page = text(citizen.get(f"/me/changes/{change_id}"))
    assert "បានអនុម័ត។ ព័ត៌មានរបស់អ្នកត្រូវបានកែប្រែនៅថ្ងៃ" in page
    assert "ព័ត៌មានរបស់អ្នកឥឡូវនេះ" in page  # your record now
    assert page.count("សៀមរាប") >= 2  # asked, and now in the record
    assert "ឯកសារដែលត្រូវយកមក" not in page  # decided: no documents to bring
    assert "/withdraw" not in page


def test_an_approved_birth_shows_the_baby_in_the_household(app, citizen):
    answers = [
        ("baby-name", {"surname": "សុខ", "given_name": "ស្រីល័ក្ខ"}),
        ("baby-sex", {"sex": "female"}),
        (
            "baby-birth-date",
            {"birth_date-day": "1", "birth_date-month": "1", "birth_date-year": "2025"},
        ),
        ("baby-relationship", {"household_status": "child"}),
    ]
    ask_for(citizen, "household_birth", answers)
    change_id = newest_id(citizen)
    decide(app, change_id, "in_review")
    decide(app, change_id, "approved")
    assert read_change(app, change_id)["new_person_spid"]
    page = text(citizen.get(f"/me/changes/{change_id}"))
    assert "ឥឡូវនៅក្នុងគ្រួសាររបស់អ្នក" in page and "សុខ ស្រីល័ក្ខ" in page


def test_a_refused_request_shows_the_reason_and_a_note(app, citizen):
    ask_for(citizen, "name", [("name", {"surname": "សុខ", "given_name": "ដារ៉ា"})])
    change_id = newest_id(citizen)
    decide(app, change_id, "in_review", note="សូមយកសំបុត្រកំណើតមក")
    decide(app, change_id, "rejected", reason="គ្មានឯកសារបញ្ជាក់")
    page = text(citizen.get(f"/me/changes/{change_id}"))
    assert "ត្រូវបានបដិសេធ" in page
    assert "ហេតុផល៖ គ្មានឯកសារបញ្ជាក់" in page
    assert "សូមយកសំបុត្រកំណើតមក" in page  # the officer's note asking for a document


def test_someone_who_died_is_named_on_the_request_page(app, citizen):
    spouse = demo_person(app, 0, 1)
    ask_for(citizen, "death", [("member", {"member_spid": spouse["spid"]})])
    page = text(citizen.get(f"/me/changes/{newest_id(citizen)}"))
    assert f"{spouse['name_km']['surname']} {spouse['name_km']['given_name']}" in page
    assert "សំបុត្រមរណភាព" in page
    assert spouse["spid"] not in page


def test_withdrawing_a_request_still_received(app, citizen):
    page = text(citizen.get(f"/me/changes/{DEMO_REQUEST}/withdraw"))
    assert "ដកសំណើនេះវិញឬ?" in page
    response = post(citizen, f"/me/changes/{DEMO_REQUEST}/withdraw")
    assert response.location == f"/me/changes/{DEMO_REQUEST}"
    assert read_change(app, DEMO_REQUEST)["status"] == "withdrawn"
    page = text(citizen.get(response.location))
    assert "សំណើរបស់អ្នកត្រូវបានដកវិញហើយ។" in page and "បានដកវិញ" in page
    assert "/withdraw" not in page


def test_a_request_being_checked_cannot_be_withdrawn(app, citizen):
    decide(app, DEMO_REQUEST, "in_review")
    data = {"csrf_token": token(citizen, "/me/changes")}
    response = citizen.post(f"/me/changes/{DEMO_REQUEST}/withdraw", data=data)
    assert response.status_code == 302
    assert read_change(app, DEMO_REQUEST)["status"] == "in_review"
    assert "មិនអាចដកវិញបានទេ" in text(citizen.get(response.location))


def test_withdrawing_needs_the_security_token(app, citizen):
    response = citizen.post(f"/me/changes/{DEMO_REQUEST}/withdraw", data={})
    assert response.status_code == 400
    assert read_change(app, DEMO_REQUEST)["status"] == "submitted"


@pytest.mark.parametrize("other", OTHERS)
def test_another_persons_request_is_not_found(app, citizen, other):
    assert read_change(app, other)  # it exists
    assert citizen.get(f"/me/changes/{other}").status_code == 404
    assert citizen.get(f"/me/changes/{other}/withdraw").status_code == 404
    own_token = token(citizen, f"/me/changes/{DEMO_REQUEST}/withdraw")
    response = citizen.post(f"/me/changes/{other}/withdraw", data={"csrf_token": own_token})
    assert response.status_code == 404
    assert read_change(app, other)["status"] != "withdrawn"


@pytest.mark.parametrize(
    "path",
    [
        "/me/changes/not-a-uuid",
        "/me/changes/00000000-0000-4000-8000-000000000000",
        "/me/changes/%00",
        "/me/changes/" + "a" * 5000,
        "/me/changes/ebe29b4d-e4cc-58e1-83eb-a56394930c3c%00",
    ],
)
def test_invalid_ids_are_not_found(citizen, path):
    assert citizen.get(path).status_code == 404


@pytest.mark.parametrize("query", ["?page=0", "?page=99999999999999999999", "?page=x%00"])
def test_odd_page_numbers_are_not_a_server_error(citizen, query):
    assert citizen.get("/me/changes" + query).status_code in (200, 404)


def test_pages_fit_one_round_trip(app, citizen):
    ask_for(citizen, "address", place_answers())
    change_id = newest_id(citizen)
    paths = ["/me/changes", "/me/changes/new", f"/me/changes/{change_id}", "/me/changes/sent"]
    post(citizen, "/me/changes/new", {"request_type": "address"})
    paths += ["/me/changes/new/province"]
    post(citizen, "/me/changes/new/province", {"code": "12"})
    paths += ["/me/changes/new/district"]
    for path in paths:
        weight = measure(citizen, path)
        assert weight.html_bytes > 500, path
        assert weight.total <= FIRST_ROUND_TRIP_BYTES, weight


def test_no_personal_data_in_the_addresses_or_the_log(app, citizen, caplog):
    spouse = demo_person(app, 0, 1)
    ask_for(citizen, "household_member_left", [("member", {"member_spid": spouse["spid"]})])
    logged = caplog.text
    for secret in (spouse["spid"], demo_person(app)["spid"], "+85512000045", "012 000 045"):
        assert secret not in logged
    assert spouse["spid"] not in "".join(LINK.findall(text(citizen.get("/me/changes"))))
    assert change_requests_of(app, demo_person(app)["spid"])
