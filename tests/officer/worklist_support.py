"""Helpers of the work-list tests (a plain module: tests/officer/conftest.py
gives the app, its databases and people). Registry data is written through
the client as the citizen's own flows would write it; the officer acts
through the pages."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

from sqlalchemy import update

from portal.registry.client import Actor
from portal.registry.server.models import AccessLogEntry, ChangeRequest, HistoryEntry
from portal.registry_access import registry
from tests.registry.factories import new_phone
from tests.staff.conftest import create_staff, sign_in

CITIZEN = Actor(actor="citizen:test", purpose="change request", on_behalf_of="self")
READER = Actor(actor="test:reader", purpose="test check", on_behalf_of="self")
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
VERSION = re.compile(r'name="version" (?:type="hidden" )?value="([0-9]+)"')


def english_officer(app, username: str, communes: list[str]):
    """A test client signed in as a new commune officer, pages in English."""
    client = app.test_client()
    secret = create_staff(app, username, "officer", communes=communes)
    assert sign_in(client, username, secret).status_code == 302
    client.get("/?lang=en")
    return client


def text(response) -> str:
    """The page's text as a reader sees it, on one line."""
    markup = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return html.unescape(re.sub(r"\s+", " ", markup))


def grouped(spid: str) -> str:
    return f"{spid[:3]} {spid[3:6]} {spid[6:9]} {spid[9:]}"


def change_request(
    app, person: dict, request_type: str = "phone_number", status: str = "submitted", **fields
) -> dict:
    """A change request about ``person``, as they would send it, moved to ``status``."""
    content = {"id": str(uuid.uuid4()), "person_spid": person["spid"], "request_type": request_type}
    if request_type in ("phone_number", "link_phone"):
        content["proposed_changes"] = {"phone_number": [new_phone()]}
    content.update(fields)
    with app.app_context():
        client = registry(app)
        made = client.change_requests.create(content, actor=CITIZEN)
        path = {"in_review": ["in_review"], "approved": ["in_review", "approved"]}
        for target in path.get(status, []):
            made = client.change_requests.update(made["id"], {"status": target}, actor=READER)
        return made


def read_change(app, change_id: str) -> dict:
    with app.app_context():
        return registry(app).change_requests.read(change_id, actor=READER)


def read_person(app, person_id: str) -> dict:
    with app.app_context():
        return registry(app).persons.read(person_id, actor=READER)


def texts_to(app, phone: str) -> list[str]:
    """Text messages sent to ``phone`` so far, oldest first (console gateway)."""
    return [m.text for m in app.extensions["sms_gateway"].messages()[::-1] if m.to == phone]


def detail(change: dict) -> str:
    return f"/officer/changes/{change['id']}"


def decide(client, change: dict, action: str, **data):
    """Post the decision form of the request's page (its token and version)."""
    shown = client.get(detail(change)).get_data(as_text=True)
    fields = {"csrf_token": TOKEN.search(shown).group(1)}
    version = VERSION.search(shown)
    if version:
        fields["version"] = version.group(1)
    return client.post(f"{detail(change)}/{action}", data={**fields, **data})


def form_token(client) -> str:
    return TOKEN.search(client.get("/officer/changes").get_data(as_text=True)).group(1)


def grievance_by(app, actor: str, person: dict, category: str = "payment", **fields) -> dict:
    """A grievance reported by ``actor`` (an officer's actor string) for ``person``."""
    record_id = str(uuid.uuid4())
    content = {
        "id": record_id,
        "reference": f"GR-2026-{uuid.UUID(record_id).int % 1_000_000:06d}",
        "category": category,
        "description": "The payment for October did not come.",
        "channel": "officer",
        "complainant": {"anonymous": False, "spid": person["spid"], "language": "km"},
        "commune_code": person["address"]["village_code"][:6],
        **fields,
    }
    with app.app_context():
        return registry(app).grievances.create(
            content, actor=Actor(actor=actor, purpose="grievance", on_behalf_of=person["spid"])
        )


def _registry_session(app):
    return registry(app).embedded_app.extensions["registry.sessions"]()


def sent_days_ago(app, change_id: str, days: int) -> None:
    """Move a request's creation back in time (in the registry's own table)."""
    with app.app_context(), _registry_session(app) as session:
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        session.execute(
            update(ChangeRequest).where(ChangeRequest.id == change_id).values(created_at=moment)
        )
        session.commit()


def move_activity_back(app, actor: str, hours: int) -> None:
    """Move everything ``actor`` did ``hours`` back in time."""
    with app.app_context(), _registry_session(app) as session:
        for table in (HistoryEntry, AccessLogEntry):
            session.execute(
                update(table)
                .where(table.actor == actor)
                .values(at=table.at - dt.timedelta(hours=hours))
            )
        session.commit()
