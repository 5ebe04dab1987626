"""A development portal with the demo population, and signing in through HTTP."""

from __future__ import annotations

import html
import re

import pytest

from portal.registry_access import registry
from tests.accounts.conftest import TEST_ACTOR, ask_for_code, enter_code, last_code
from tests.conftest import development_app
from tests.registry.factories import person_content
from tests.support.demo_data import DEMO_CITIZEN_PHONE, demo_person_id, load_demo_population


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One portal with the demo population for the read-only tests of a module."""
    app = development_app(tmp_path_factory.mktemp("my-record"))
    load_demo_population(app)
    return app


@pytest.fixture
def app(tmp_path):
    app = development_app(tmp_path)
    load_demo_population(app)
    return app


def sign_in(client, app, phone: str = DEMO_CITIZEN_PHONE, language: str = "en"):
    """Sign in with a code by text message; the answer to the code (a redirect)."""
    with client.session_transaction() as session:
        session["lang"] = language
    ask_for_code(client, phone)
    response = enter_code(client, last_code(app))
    assert response.status_code == 302, response.status_code
    return response


def demo_citizen_id() -> str:
    return demo_person_id(0, 0)


def read_person(app, person_id: str) -> dict:
    with app.app_context():
        return registry(app).persons.read(person_id, actor=TEST_ACTOR)


def people_sharing_a_phone(app, phone: str) -> list[dict]:
    """Two adults registered with the same phone number."""
    made = [
        person_content(
            name={"given_name": "Dara", "surname": "Sok"},
            name_km={"given_name": "ដារា", "surname": "សុខ"},
            birth_date="1980-03-02",
            sex="male",
            phone_number=[phone],
        ),
        person_content(
            name={"given_name": "Sophea", "surname": "Sok"},
            name_km={"given_name": "សុភា", "surname": "សុខ"},
            birth_date="1984-07-09",
            sex="female",
            phone_number=[phone],
        ),
    ]
    with app.app_context():
        return [registry(app).persons.create(content, actor=TEST_ACTOR) for content in made]


def grouped(spid: str) -> str:
    """A SPID as pages show it in English: 3-3-3-2."""
    return f"{spid[:3]} {spid[3:6]} {spid[6:9]} {spid[9:]}"


def text_of(response) -> str:
    """The page's text as a reader sees it, on one line."""
    return text_of_html(response.get_data(as_text=True))


def text_of_html(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))
