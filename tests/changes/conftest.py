"""Fixtures of the change-request pages: a development portal with the demo
population, and the demo citizen (household 0's head) signed in over HTTP."""

from __future__ import annotations

import re

import pytest

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import ask_for_code, enter_code, last_code
from tests.conftest import development_app
from tests.support.demo_data import DEMO_CITIZEN_PHONE, demo_person_id, load_demo_population

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
OFFICER = Actor(actor="staff:officer.test", purpose="check a change request", on_behalf_of=None)
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")


@pytest.fixture
def app(tmp_path):
    app = development_app(tmp_path)
    load_demo_population(app)
    return app


def sign_in(app, client, phone: str = DEMO_CITIZEN_PHONE) -> None:
    ask_for_code(client, phone)
    assert enter_code(client, last_code(app)).status_code == 302


@pytest.fixture
def citizen(app):
    """A test client signed in as the demo citizen."""
    client = app.test_client()
    sign_in(app, client)
    return client


def token(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def post(client, path: str, data: dict | None = None, **kwargs):
    """Post a page's form with its token (taken from the page itself)."""
    return client.post(path, data={"csrf_token": token(client, path), **(data or {})}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


def demo_person(app, household: int = 0, member: int = 0) -> dict:
    with app.app_context():
        return registry(app).persons.read(demo_person_id(household, member), actor=READER)


def change_requests_of(app, spid: str) -> list[dict]:
    with app.app_context():
        page = registry(app).change_requests.list(actor=READER, person_spid=spid, page_size=50)
        return page.results


def read_change(app, change_id: str) -> dict:
    with app.app_context():
        return registry(app).change_requests.read(change_id, actor=READER)


def decide(app, change_id: str, status: str, reason: str | None = None, note: str | None = None):
    """An officer moves a request on (in_review, approved, rejected)."""
    with app.app_context():
        return registry(app).change_requests.update(
            change_id, {"status": status}, actor=OFFICER, reason=reason, note=note
        )


def ask_for(client, request_type: str, answers: list[tuple[str, dict]], justification: str = ""):
    """Walk the questions of one kind of change and send it; the final response."""
    response = post(client, "/me/changes/new", {"request_type": request_type})
    assert response.status_code == 302, text(response)
    for step, data in answers:
        assert response.location == f"/me/changes/new/{step}", (response.location, step)
        response = post(client, response.location, data)
        assert response.status_code == 302, text(response)
    assert response.location == "/me/changes/new/anything-else"
    response = post(client, response.location, {"justification": justification})
    assert response.location == "/me/changes/new/check"
    return post(client, "/me/changes/new/check")
