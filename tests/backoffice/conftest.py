"""Back-office fixtures: a portal whose databases (its own and the embedded
registry's) are PostgreSQL when PORTAL_TEST_DATABASE_URL is set, staff made
through the account service and signed in through the pages, applicants and
applications written through the registry client."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import update

from portal.database import db
from portal.registry.client import Actor
from portal.registry.server.db import make_engine, migrate
from portal.registry.server.models import Application
from portal.registry_access import registry
from tests.conftest import checked_app
from tests.registry.factories import household_content, person_content
from tests.staff.conftest import create_staff, sign_in
from tests.support.databases import fresh_database

SETUP = Actor(actor="test:setup", purpose="test data", on_behalf_of="self")
APPLICANT = Actor(actor="citizen:test", purpose="application", on_behalf_of="self")
PROGRAMME = "pregnancy_child_cash"
OTHER_PROGRAMME = "elderly_allowance"
VILLAGE = "12010101"  # commune 120101 (Phnom Penh)
COMMUNE = VILLAGE[:6]
OTHER_VILLAGE = "01020101"  # commune 010201 (Banteay Meanchey)
OTHER_COMMUNE = OTHER_VILLAGE[:6]
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
VERSION = re.compile(r'name="version" (?:type="hidden" )?value="([0-9]+)"')
PATHS = {
    "submitted": [],
    "received": ["received"],
    "information_requested": ["received", "information_requested"],
    "documents_checked": ["received", "documents_checked"],
    "approved": ["received", "documents_checked", "approved"],
    "refused": ["received", "documents_checked", "refused"],
    "withdrawn": ["withdrawn"],
}


@contextmanager
def portal_with_registry(tmp_path, **config):
    """A portal and its embedded registry on fresh databases of their own."""
    with (
        fresh_database(tmp_path, "backoffice_portal") as portal_url,
        fresh_database(tmp_path, "backoffice_registry") as registry_url,
    ):
        if not registry_url.startswith("sqlite"):
            engine = make_engine(registry_url)  # the registry migrates SQLite only by itself
            migrate(engine)
            engine.dispose()
        app = checked_app(
            tmp_path, DATABASE_URL=portal_url, REGISTRY_DATABASE_URL=registry_url, **config
        )
        yield app
        client = app.extensions.get("registry")
        if client is not None and client.embedded_app is not None:
            client.embedded_app.extensions["registry.engine"].dispose()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    with portal_with_registry(tmp_path) as app:
        yield app


def applicant(app, village: str = VILLAGE, with_household: bool = True, **overrides) -> dict:
    """A registered person (with a phone), head of a household with an Equity Card."""
    with app.app_context():
        client = registry(app)
        person = client.persons.create(
            person_content(address={"village_code": village}, **overrides), actor=SETUP
        )
        if with_household:
            client.households.create(
                household_content(
                    [(person["spid"], "head")],
                    address={"village_code": village},
                    idpoor={"level": 2, "card_number": "KH-0042-17", "expiry": "2027-12-31"},
                ),
                actor=SETUP,
            )
            person = client.persons.read(person["id"], actor=SETUP)
        return person


def application(app, person: dict, programme: str = PROGRAMME, state: str = "submitted") -> dict:
    """An application sent by ``person``, moved along the path to ``state``."""
    with app.app_context():
        client = registry(app)
        record = client.applications.create(
            {
                "id": str(uuid.uuid4()),
                "programme_id": programme,
                "applicant_spid": person["spid"],
                "household_id": person.get("household_identifier"),
                "channel": "web",
                "status": "submitted",
                "facts": {"person": {"is_pregnant": True}},
                "answers": {"expected_delivery_date": "2027-01-15"},
                "eligibility": {
                    "status": "likely_eligible",
                    "reasons": [{"code": "pregnant", "text": "You are pregnant."}],
                    "evaluated_on": dt.date.today().isoformat(),
                },
                "documents_due_by": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            },
            actor=APPLICANT,
        )
        for target in PATHS[state]:
            record = client.applications.update(
                record["id"], {"status": target}, actor=SETUP, reason="test", note="step"
            )
        return record


def read_application(app, application_id: str) -> dict:
    with app.app_context():
        return registry(app).applications.read(application_id, actor=SETUP)


def submitted_days_ago(app, application_id: str, days: int) -> None:
    """Move an application's creation back in time (in the registry's own table)."""
    with app.app_context():
        embedded = registry(app).embedded_app
        with embedded.extensions["registry.sessions"]() as session:
            moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
            session.execute(
                update(Application)
                .where(Application.id == application_id)
                .values(created_at=moment)
            )
            session.commit()


def texts(app) -> list[str]:
    """The text messages sent so far (console gateway), oldest first."""
    return [message.text for message in app.extensions["sms_gateway"].messages()][::-1]


def texts_to(app, phone: str) -> list[str]:
    national = phone.removeprefix("+855")
    return [
        message.text
        for message in app.extensions["sms_gateway"].messages()[::-1]
        if message.to.removeprefix("+855").lstrip("0") == national.lstrip("0")
    ]


def staff_client(app, username: str, role: str, **scope):
    """A test client signed in as a new staff member (communes= or programmes=)."""
    secret = create_staff(app, username, role, **scope)
    client = app.test_client()
    assert sign_in(client, username, secret).location == "/staff/"
    client.get("/?lang=en")
    return client


@pytest.fixture
def programme_officer(app):
    return staff_client(app, "prog.dara", "programme_officer", programmes=[PROGRAMME])


@pytest.fixture
def commune_officer(app):
    return staff_client(app, "officer.sok", "officer", communes=[COMMUNE])


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post(client, path: str, page_path: str | None = None, **data):
    """Post a form of the page (its security token, and the version it shows)."""
    shown = client.get(page_path or path).get_data(as_text=True)
    fields = {"csrf_token": TOKEN.search(shown).group(1)}
    version = VERSION.search(shown)
    if version:
        fields["version"] = version.group(1)
    return client.post(path, data={**fields, **data})


def detail_path(record: dict) -> str:
    return f"/backoffice/applications/{record['id']}"
