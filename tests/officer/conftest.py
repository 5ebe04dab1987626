"""Fixtures of the commune officer's pages: the back office's portal (its own
database and the embedded registry's, PostgreSQL when PORTAL_TEST_DATABASE_URL
is set), people written through the registry client, and an officer of commune
120101 signed in through the pages."""

from __future__ import annotations

import html
import re

import pytest

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.backoffice.conftest import (
    COMMUNE,
    OTHER_COMMUNE,
    OTHER_VILLAGE,
    VILLAGE,
    portal_with_registry,
)
from tests.registry.factories import household_content, person_content
from tests.staff.conftest import create_staff, sign_in

SETUP = Actor(actor="test:setup", purpose="test data", on_behalf_of="self")
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")
OFFICER = "officer.sok"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
__all__ = ["COMMUNE", "OTHER_COMMUNE", "OTHER_VILLAGE", "VILLAGE"]


@pytest.fixture
def app(tmp_path):
    # The provider's rate is not what these tests are about (tests/outbox tests it).
    with portal_with_registry(tmp_path, SMS_RATE="1000/second") as app:
        yield app


def text(response) -> str:
    return response.get_data(as_text=True)


def page_text(response) -> str:
    """The page's text as a reader sees it, on one line."""
    markup = re.sub(r"<[^>]+>", " ", text(response))
    return html.unescape(re.sub(r"\s+", " ", markup))


def token(client, path: str) -> str:
    return TOKEN.search(text(client.get(path))).group(1)


def post(client, path: str, data: dict | None = None, page: str | None = None):
    """Post a form with the security token of the page that shows it."""
    return client.post(path, data={"csrf_token": token(client, page or path), **(data or {})})


def person(app, village: str = VILLAGE, household: bool = True, **overrides) -> dict:
    """A registered person of ``village`` (with a phone), head of a household."""
    with app.app_context():
        client = registry(app)
        made = client.persons.create(
            person_content(address={"village_code": village}, **overrides), actor=SETUP
        )
        if household:
            client.households.create(
                household_content([(made["spid"], "head")], address={"village_code": village}),
                actor=SETUP,
            )
        return client.persons.read(made["id"], actor=SETUP)


def access_log(app, person_id: str) -> list[dict]:
    with app.app_context():
        return registry(app).persons.access_log(person_id, actor=READER).entries


def officer_client(app, username: str = OFFICER, communes: list[str] | None = None):
    client = app.test_client()
    secret = create_staff(app, username, "officer", communes=communes or [COMMUNE])
    assert sign_in(client, username, secret).status_code == 302
    return client


@pytest.fixture
def officer(app):
    return officer_client(app)


def search(client, query: str):
    return post(client, "/officer", {"query": query})


def open_record(client, spid: str, purpose: str = "walk-in help"):
    """Choose a person found, then say why: the record page, or the refusal."""
    chosen = post(client, "/officer/open", {"spid": spid}, page="/officer")
    assert chosen.status_code == 302 and chosen.location == "/officer/purpose"
    return post(client, "/officer/purpose", {"purpose": purpose})


def act_for(client, method: str = "in_person", form_number: str = ""):
    return post(client, "/officer/consent", {"method": method, "form_number": form_number})
