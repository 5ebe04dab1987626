"""The report pages refuse what no person types (NUL bytes, very long text,
20-digit numbers, unknown choices) with a 4xx or a form error, never a 500,
and weigh less than one round trip on a slow phone network."""

from __future__ import annotations

import pytest

from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.grievances.conftest import in_language, page_text, post, signed_in
from tests.grievances.test_report import CHECK, SENT, START, answer, send
from tests.support.demo_data import DEMO_CITIZEN_PHONE

HOSTILE = ["\x00", "a\x00b", "x" * 5000, "1" * 20, "", " ", "<script>alert(1)</script>"]
FIELDS = {
    "/grievances/new/category": "category",
    "/grievances/new/programme": "programme",
    "/grievances/new/where/province": "code",
    "/grievances/new/where/district": "code",
    "/grievances/new/where/commune": "code",
    "/grievances/new/contact": "contact",
    "/grievances/new/contact-phone": "phone_number",
}


@pytest.fixture
def walked(app):
    client = in_language(app.test_client(), "en")
    answer(client, contact="other", phone="012 345 678")
    return client


@pytest.mark.parametrize("path", list(FIELDS))
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_answer_is_a_form_error(walked, path, value):
    response = post(walked, path, {FIELDS[path]: value})
    assert response.status_code == 400, (path, repr(value[:10]))
    assert "There is a problem" in page_text(response)


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "x" * 5000, "\x1b[31m", "", "   "])
def test_a_hostile_description_is_a_form_error_that_keeps_the_text(walked, value):
    response = post(walked, "/grievances/new/what-happened", {"description": value})
    assert response.status_code == 400
    if value == "x" * 5000:
        page = page_text(response)
        assert "Write at most 2,000 characters" in page and "You wrote 5,000." in page
        assert value in response.get_data(as_text=True)  # what was typed is kept


def test_a_description_of_2000_characters_in_khmer_is_taken(walked):
    text = ("ក" * 1999) + "។"
    response = post(walked, "/grievances/new/what-happened", {"description": text})
    assert response.status_code == 302


@pytest.mark.parametrize("phone", ["1" * 20, "012", "+1 202 555 0100", "023 123 456", "០" * 30])
def test_a_phone_that_is_no_cambodian_mobile_is_refused(walked, phone):
    response = post(walked, "/grievances/new/contact-phone", {"phone_number": phone})
    assert response.status_code == 400
    assert "Enter a Cambodian mobile number" in page_text(response)


def test_unknown_places_and_a_post_without_a_token_are_refused(walked):
    assert walked.get("/grievances/new/where/village").status_code == 404
    assert walked.get("/grievances/new/where/%00").status_code == 404
    assert walked.get("/grievances/new/where/" + "x" * 5000).status_code in (404, 414)
    response = walked.post("/grievances/new/category", data={"category": "payment"})
    assert response.status_code == 400
    response = walked.post(CHECK, data={"csrf_token": "\x00" * 50})
    assert response.status_code == 400
    # A JSON body is never read as answers.
    response = walked.post("/grievances/new/category", json={"category": ["payment"]})
    assert response.status_code == 400


def test_query_strings_do_no_harm(walked):
    for path in (START, CHECK, "/grievances/new/category?category=%00", SENT + "?x=" + "1" * 20):
        assert walked.get(path).status_code in (200, 302)


def _pages():
    return [
        START,
        "/grievances/new/category",
        "/grievances/new/programme",
        "/grievances/new/what-happened",
        "/grievances/new/where/province",
        "/grievances/new/where/district",
        "/grievances/new/where/commune",
        "/grievances/new/contact",
        "/grievances/new/contact-phone",
        CHECK,
    ]


@pytest.mark.parametrize("language", ["km", "en"])
def test_every_report_page_weighs_less_than_one_round_trip(app, language):
    client = in_language(app.test_client(), language)
    answer(client, category="fraud", contact="anonymous")
    for path in _pages():
        response = client.get(path)
        assert response.status_code == 200, path
        weight = measure(client, path)
        assert weight.total <= FIRST_ROUND_TRIP_BYTES, (path, weight)
    send(client)
    assert measure(client, SENT).total <= FIRST_ROUND_TRIP_BYTES


def test_signed_in_pages_weigh_less_than_one_round_trip(app):
    client = signed_in(app, DEMO_CITIZEN_PHONE, "km")
    answer(client, contact="mine")
    for path in [*_pages()[:-2], CHECK]:
        assert measure(client, path).total <= FIRST_ROUND_TRIP_BYTES, path
