"""Fixtures of the citizen's grievance pages: a development portal with the demo
population (one per test module: a phone gets only 3 sign-in codes per 15
minutes, so signed-in clients are reused), grievances made through the
registry API as staff would, and helpers to post forms."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest

from portal.grievances import deadlines
from portal.grievances.references import reference_of
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.accounts.conftest import ask_for_code, enter_code, last_code
from tests.conftest import development_app
from tests.support.demo_data import load_demo_population

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
HANDLER = Actor(actor="grievance_handler:test", purpose="grievance handling", on_behalf_of=None)
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # The provider's rate is not what these tests are about (tests/outbox tests it).
    app = development_app(tmp_path_factory.mktemp("grievances"), SMS_RATE="1000/second")
    load_demo_population(app)
    return app


def signed_in(app, phone: str, language: str = "en"):
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = language
    ask_for_code(client, phone)
    response = enter_code(client, last_code(app))
    assert response.status_code == 302, response.status_code
    return client


def in_language(client, language: str):
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def page_text(response) -> str:
    """The page's text as a reader sees it, on one line."""
    markup = text(response)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def token(client, path: str) -> str:
    return TOKEN.search(text(client.get(path))).group(1)


def post(client, path: str, data: dict | None = None):
    return client.post(path, data={"csrf_token": token(client, path), **(data or {})})


def make_case(app, *, category="payment", phone=None, spid=None, commune="120101", **fields):
    """A grievance in the registry, as if reported on the web today."""
    record_id = str(uuid.uuid4())
    today = dt.date.today()
    acknowledge_by, resolve_by = deadlines.due_dates(category, today)
    complainant = {"anonymous": not (phone or spid), "language": "en"}
    if phone:
        complainant["contact_phone"] = phone
    if spid:
        complainant["spid"] = spid
    content = {
        "id": record_id,
        "reference": reference_of(record_id, today),
        "category": category,
        "description": "The payment for October did not come.",
        "channel": "web",
        "complainant": complainant,
        "commune_code": commune,
        "acknowledge_by": acknowledge_by.isoformat(),
        "resolve_by": resolve_by.isoformat(),
        **fields,
    }
    with app.app_context():
        return registry(app).grievances.create(content, actor=HANDLER)


def move(app, case: dict, status: str, *, reason=None, note=None, **fields) -> dict:
    """Staff move a case on, as the back office does."""
    with app.app_context():
        current = registry(app).grievances.read(case["id"], actor=READER)
        return registry(app).grievances.update(
            current["id"],
            {"status": status, **fields},
            actor=HANDLER,
            if_match=f'"{current["version"]}"',
            reason=reason,
            note=note,
        )


def read(app, case_id: str) -> dict:
    with app.app_context():
        return registry(app).grievances.read(case_id, actor=READER)
