"""Every form a signed-in citizen can send (register once, my record, change
requests) answers hostile input with a page or a 4xx, never a 500: each field
the page shows is sent with NUL bytes, a 5,000-character text or a 20-digit
number, and each address gets a deeply nested JSON body."""

from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import TOKEN, ask_for_code, enter_code, last_code
from tests.conftest import development_app
from tests.support.demo_data import DEMO_CITIZEN_PHONE, SHARED_PHONE, load_demo_population

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
HOSTILE = ["\x00\x00", "ស" * 5000, "9" * 20, "-1", "<script>"]
DEEP_JSON = "[" * 5000 + "]" * 5000
NEW_CITIZEN_FORMS = [
    "/register/q/name",
    "/register/q/latin-name",
    "/register/q/sex",
    "/register/q/birth-date",
    "/register/q/national-id",
    "/register/q/disability",
    "/register/q/equity-card",
    "/register/where/province",
    "/register/household/member",
    "/register/consent",
    "/register/claim",
]
# (the kind of change chosen first, the question page)
CHANGE_QUESTIONS = [
    ("address", "province"),
    ("phone_number", "phone"),
    ("name", "name"),
    ("household_birth", "baby-name"),
    ("household_birth", "baby-birth-date"),
    ("death", "member"),
    ("disability", "card"),
    ("disability", "anything-else"),
]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    app = development_app(tmp_path_factory.mktemp("hostile"))
    load_demo_population(app)
    return app


def signed_in(app, phone: str):
    client = app.test_client()
    ask_for_code(client, phone)
    enter_code(client, last_code(app))
    return client


# One sign-in each (a number gets 3 codes in 15 minutes), shared by the tests.
@pytest.fixture(scope="module")
def newcomer(demo_app):
    return signed_in(demo_app, "012 345 999")


@pytest.fixture(scope="module")
def demo_citizen(demo_app):
    return signed_in(demo_app, DEMO_CITIZEN_PHONE)


def assert_never_500(client, path: str) -> None:
    page = client.get(path)
    assert page.status_code < 500, path
    html = page.get_data(as_text=True)
    token = TOKEN.search(html)
    names = set(FIELD.findall(html)) - {"csrf_token"}
    for value in HOSTILE:
        data = {name: value for name in names}
        if token:
            data["csrf_token"] = token.group(1)
        answer = client.post(path, data=data)
        assert answer.status_code < 500, (path, value[:10])
    answer = client.post(path, data=DEEP_JSON, content_type="application/json")
    assert answer.status_code < 500, (path, "deep JSON")


@pytest.mark.parametrize("path", NEW_CITIZEN_FORMS)
def test_registration_forms_refuse_hostile_input_without_failing(newcomer, path):
    assert_never_500(newcomer, path)


def test_choosing_a_change_refuses_hostile_input_without_failing(demo_citizen):
    assert_never_500(demo_citizen, "/me/changes/new")


@pytest.mark.parametrize(("kind", "step"), CHANGE_QUESTIONS)
def test_change_request_questions_refuse_hostile_input_without_failing(demo_citizen, kind, step):
    client = demo_citizen
    page = client.get("/me/changes/new").get_data(as_text=True)
    chosen = client.post(
        "/me/changes/new",
        data={"csrf_token": TOKEN.search(page).group(1), "request_type": kind},
    )
    assert chosen.status_code == 302
    question = f"/me/changes/new/{step}"
    assert client.get(question).status_code in (200, 302)
    assert_never_500(client, question)


def test_choosing_who_you_are_refuses_hostile_input_without_failing(demo_app):
    assert_never_500(signed_in(demo_app, SHARED_PHONE), "/me/choose")


@pytest.mark.parametrize(
    "path",
    [
        "/me/data-access?page=" + "9" * 20,
        "/me/data-access?page=%00",
        "/me/changes/" + "9" * 20,
        "/me/changes/00000000-0000-4000-8000-000000000000",
        "/register/household/member/" + "9" * 20,
        "/register/q/%00",
        "/register/where/" + "x" * 5000,
    ],
)
def test_hostile_addresses_get_a_4xx(demo_citizen, path):
    answer = demo_citizen.get(path)
    assert 300 <= answer.status_code < 500
