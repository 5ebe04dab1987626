"""Fixtures of the application pages: a development portal with the demo
population (one per test module: a phone gets only 3 sign-in codes per 15
minutes, so signed-in clients are reused), applicants made through the
registry API, and a walker that applies through the pages, counting every
question it is asked and weighing every page it sees."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest

from portal.notifications.messages import readable_reference
from portal.registry.client import Actor
from portal.registry_access import registry
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.accounts.conftest import TEST_ACTOR, ask_for_code, enter_code, last_code
from tests.conftest import development_app
from tests.registry.factories import household_content, new_phone, person_content
from tests.support.demo_data import load_demo_population

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
START_LINK = re.compile(r'<a class="btn" href="(/applications/new/[^"]+)">')
REFERENCE = re.compile(r"AP-\d{4}-\d{3} \d{3}")
STAFF = Actor(actor="programme_officer:test", purpose="decide an application", on_behalf_of=None)
COMMUNE = Actor(actor="officer:test", purpose="check an application", on_behalf_of=None)
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")


def today() -> dt.date:
    """Today in Phnom Penh, as the pages count days."""
    return dt.datetime.now(ZoneInfo("Asia/Phnom_Penh")).date()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # One app for the module's many messages: the provider's rate is not what
    # these tests are about (tests/outbox tests it).
    app = development_app(tmp_path_factory.mktemp("applications"), SMS_RATE="1000/second")
    load_demo_population(app)
    return app


def make_applicant(
    app,
    *,
    birth_date: str,
    sex: str = "female",
    card: dict | None = None,
    children: tuple[str, ...] = (),
) -> dict:
    """A registered person with a phone, in a household of their own (with
    `card` as its IDPoor record, and a child born on each of `children`)."""
    phone = new_phone()
    with app.app_context():
        client = registry(app)
        person = client.persons.create(
            person_content(birth_date=birth_date, sex=sex, phone_number=[phone]), actor=TEST_ACTOR
        )
        kids = []
        for born in children:
            content = person_content(
                birth_date=born,
                name={"given_name": "Mony", "surname": "Chan"},
                name_km={"given_name": "មុនី", "surname": "ចាន់"},
            )
            del content["identifier"], content["phone_number"]
            kids.append(client.persons.create(content, actor=TEST_ACTOR))
        members = [(person["spid"], "head")] + [(kid["spid"], "child") for kid in kids]
        household = client.households.create(
            household_content(members, idpoor=card), actor=TEST_ACTOR
        )
    return {"person": person, "household": household, "children": kids, "phone": phone}


def verified_card(level: int = 1, valid_for_days: int = 365) -> dict:
    return {
        "level": level,
        "card_number": f"IDP-{new_phone()[-6:]}",
        "expiry": (today() + dt.timedelta(days=valid_for_days)).isoformat(),
        "verified_by": "officer:idpoor",
        "verified_at": "2025-06-01T09:00:00+00:00",
    }


def signed_in(app, phone: str, language: str = "en"):
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = language
    ask_for_code(client, phone)
    response = enter_code(client, last_code(app))
    assert response.status_code == 302, response.status_code
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


class Walker:
    """Applies through the pages as a person would: counts the questions it is
    asked (by slug) and weighs every page it sees."""

    def __init__(self, client):
        self.client = client
        self.questions: list[str] = []
        self.heaviest = 0
        self.weights: dict[str, int] = {}

    def get(self, path: str):
        weight = measure(self.client, path).total
        self.weights[path.split("?")[0]] = weight
        self.heaviest = max(self.heaviest, weight)
        return self.client.get(path)

    def send(self, path: str, data: dict):
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        found = TOKEN.search(text(page)).group(1)
        return self.client.post(path, data={"csrf_token": found, **data})

    def start(self, programme: str) -> str:
        """The start page; the address of the first page after it."""
        page = self.get(f"/applications/new/{programme}")
        assert page.status_code == 200, text(page)[-2000:]
        return START_LINK.search(text(page)).group(1)

    def answer_all(self, programme: str, answers: dict[str, dict]) -> str:
        """Answer each question asked (by slug) and declare; the check page's address."""
        url = self.start(programme)
        for _page in range(20):
            if "/q/" in url:
                slug = url.rsplit("/", 1)[1]
                self.questions.append(slug)
                assert slug in answers, f"asked {slug}, which the test did not expect"
                response = self.send(url, answers[slug])
            elif url.endswith("/documents"):
                response = self.send(url, {"declaration": "y"})
            elif url.endswith("/check"):
                return url
            else:
                raise AssertionError(f"unexpected page {url}")
            assert response.status_code == 302, text(response)[-2000:]
            url = response.location
        raise AssertionError("too many pages")

    def apply(self, programme: str, answers: dict[str, dict] | None = None):
        """Apply and send; the answer to sending (a redirect to the confirmation)."""
        check = self.answer_all(programme, answers or {})
        response = self.send(check, {})
        assert response.status_code == 302, text(response)[-2000:]
        assert response.location == "/applications/sent"
        return response

    def reference(self) -> str:
        """The reference the confirmation page shows, as the registry has it."""
        page = self.get("/applications/sent")
        shown = REFERENCE.search(page_text(page)).group(0)
        return shown.replace(" ", "")


def applications_of(app, spid: str) -> list[dict]:
    with app.app_context():
        return (
            registry(app).applications.list(actor=READER, applicant_spid=spid, page_size=50).results
        )


def by_reference(app, spid: str, reference: str) -> dict:
    found = [a for a in applications_of(app, spid) if a["reference"] == reference]
    assert found, (reference, [a["reference"] for a in applications_of(app, spid)])
    return found[0]


def move(app, application: dict, status: str, actor: Actor = STAFF, **changes) -> dict:
    """Staff move an application on, as the back office does."""
    with app.app_context():
        current = registry(app).applications.read(application["id"], actor=READER)
        return registry(app).applications.update(
            current["id"],
            {"status": status, **changes.pop("fields", {})},
            actor=actor,
            **changes,
        )


def sms_to(app, phone: str) -> list[str]:
    e164 = "+855" + phone.lstrip("0")
    return [m.text for m in app.extensions["sms_gateway"].messages() if m.to == e164]


def sms_about(app, phone: str, reference: str) -> list[str]:
    """The text messages to `phone` that give this reference (grouped for reading)."""
    return [m for m in sms_to(app, phone) if readable_reference(reference) in m]


__all__ = ["FIRST_ROUND_TRIP_BYTES"]
