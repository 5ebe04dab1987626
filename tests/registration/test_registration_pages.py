"""The registration pages: who may use them, what a mistake or hostile input
gets (a clear message with nothing typed lost, never a 500), and going back
and changing an answer."""

from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import TOKEN, registered_person
from tests.registration.conftest import Visitor, answer_about_me, sign_in

PAGES = [
    "/register",
    "/register/q/name",
    "/register/where/province",
    "/register/household",
    "/register/household/member",
    "/register/consent",
    "/register/check",
    "/register/claim",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert "/login" in answer.location


@pytest.mark.parametrize("path", PAGES)
def test_someone_already_registered_is_sent_to_their_record(app, client, path):
    registered_person(app, phone_number=["012 777 888"])
    sign_in(app, client, "012 777 888")
    answer = client.get(path)
    assert answer.status_code == 302 and answer.location.endswith("/me")


def _post(client, path, answers):
    token = TOKEN.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **answers})


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"surname": "", "given_name": "ចាន់ថា"}, "ត្រកូល"),
        ({"surname": "Sok", "given_name": "Chantha"}, "អក្សរខ្មែរ"),
        ({"surname": "សុខ\x00", "given_name": "ចាន់ថា"}, "តួអក្សរពិសេស"),
        ({"surname": "ស" * 101, "given_name": "ចាន់ថា"}, "១០០"),
    ],
)
def test_a_name_that_cannot_be_kept_is_explained_and_kept_as_typed(app, client, answers, message):
    sign_in(app, client)
    answer = _post(client, "/register/q/name", answers)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'class="err-sum"' in page and message in page
    assert 'value="ចាន់ថា"' in page or 'value="Chantha"' in page


@pytest.mark.parametrize(
    "answers",
    [
        {"birth_date-day": "31", "birth_date-month": "2", "birth_date-year": "1990"},
        {"birth_date-day": "1", "birth_date-month": "1", "birth_date-year": "9" * 40},
        {"birth_date-day": "1", "birth_date-month": "1", "birth_date-year": "2999"},
        {"birth_date-year": "99", "year_only": "y"},
        {"birth_date-day": "\x00", "birth_date-month": "1", "birth_date-year": "1990"},
    ],
)
def test_an_impossible_birth_date_is_explained(app, client, answers):
    sign_in(app, client)
    answer = _post(client, "/register/q/birth-date", answers)
    assert answer.status_code == 200
    assert 'class="err-sum"' in answer.get_data(as_text=True)


def test_only_the_year_of_birth_is_enough(app, client):
    sign_in(app, client)
    answer = _post(client, "/register/q/birth-date", {"birth_date-year": "១៩៥២", "year_only": "y"})
    assert answer.status_code == 302
    page = client.get("/register/q/birth-date").get_data(as_text=True)
    assert 'name="birth_date-year" inputmode="numeric" value="1952"' in page
    assert 'name="birth_date-day" inputmode="numeric" value=""' in page


@pytest.mark.parametrize(
    "path",
    [
        "/register/where/planet",
        "/register/q/unknown",
        "/register/household/member/7",
        "/register/household/member/99999999999999999999999",
    ],
)
def test_unknown_questions_and_members_are_not_found(app, client, path):
    sign_in(app, client)
    assert client.get(path).status_code == 404


def test_a_place_not_in_the_list_is_refused(app, client):
    sign_in(app, client)
    _post(client, "/register/where/province", {"code": "12"})
    answer = _post(client, "/register/where/district", {"code": "0201"})  # Battambang's
    assert answer.status_code == 200
    assert 'class="err-sum"' in answer.get_data(as_text=True)


def test_choosing_another_province_asks_the_district_again(app, client):
    sign_in(app, client)
    visitor = Visitor(client)
    answer_about_me(visitor)
    moved = _post(client, "/register/where/province", {"code": "17"})
    assert moved.location.endswith("/register/where/district")
    page = client.get("/register/where/district").get_data(as_text=True)
    assert re.search(r'value="17\d\d"', page)


def test_members_can_be_changed_and_removed(app, client):
    sign_in(app, client)
    member = {
        "surname": "សុខ",
        "given_name": "ដារា",
        "sex": "male",
        "household_status": "child",
        "birth_date-day": "1",
        "birth_date-month": "2",
        "birth_date-year": "2012",
    }
    _post(client, "/register/household/member", member)
    _post(client, "/register/household/member/0", {**member, "given_name": "វណ្ណៈ"})
    page = client.get("/register/household").get_data(as_text=True)
    assert "វណ្ណៈ" in page and "ដារា" not in page
    _post(client, "/register/household/member/0/remove", {})
    assert "វណ្ណៈ" not in client.get("/register/household").get_data(as_text=True)


def test_a_page_sent_without_its_security_token_changes_nothing(app, client):
    sign_in(app, client)
    answer = client.post("/register/q/name", data={"surname": "សុខ", "given_name": "ចាន់ថា"})
    assert answer.status_code in (200, 400)
    assert 'value=""' in client.get("/register/q/name").get_data(as_text=True)
