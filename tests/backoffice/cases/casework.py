"""Helpers of the grievance back-office tests: one portal per test module
(the provider's rate is not what they are about), handlers and supervisors
signed in through the pages, cases made through the registry with the due
dates each test needs, and forms posted with the version the page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid

from portal import local_time
from portal.grievances import notify
from tests.backoffice.conftest import page, staff_client, texts_to
from tests.conftest import checked_app
from tests.grievances.conftest import make_case, move, page_text, read

__all__ = ["move", "page", "page_text", "read", "texts_to"]

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
VERSION = re.compile(r'name="version" (?:type="hidden" )?value="([0-9]+)"')
QUEUE = "/backoffice/grievances"
HANDLER = "grievance_handler"
SUPERVISOR = "grievance_supervisor"


def case_app(tmp_path_factory, name: str):
    return checked_app(tmp_path_factory.mktemp(name), SMS_RATE="1000/second")


def handler(app, username: str, communes: list[str]):
    return staff_client(app, username, HANDLER, communes=communes)


def supervisor(app, username: str):
    return staff_client(app, username, SUPERVISOR, communes=[])


def today():
    return local_time.today()


def new_case(app, *, due_in: int | None = None, commune: str = "120101", **fields) -> dict:
    """A case reported today; ``due_in`` days from today to resolve it (the
    acknowledge-by day no later)."""
    if due_in is not None:
        due = (today() + dt.timedelta(days=due_in)).isoformat()
        fields = {"resolve_by": due, "acknowledge_by": due, **fields}
    return make_case(app, commune=commune, **fields)


def case_path(case: dict, action: str | None = None) -> str:
    path = f"{QUEUE}/{case['id']}"
    return f"{path}/{action}" if action else path


def act(client, case: dict, action: str, version: int | None = None, **data):
    """Post an action of the case page (its token and the version it shows,
    unless ``version`` is given)."""
    shown = client.get(case_path(case)).get_data(as_text=True)
    fields = {"csrf_token": TOKEN.search(shown).group(1)}
    found = VERSION.search(shown)
    fields["version"] = str(version) if version is not None else (found.group(1) if found else "1")
    return client.post(case_path(case, action), data={**fields, **data})


def token_of(client, path: str = QUEUE) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def references_in(response) -> set[str]:
    """The case references a queue page lists (as written, Latin digits)."""
    text = page(response)
    return set(re.findall(r"GR-[0-9]{4}-[0-9]{3} [0-9]{3}", text))


def shown(case: dict) -> str:
    """A reference as the English pages write it."""
    return f"{case['reference'][:11]} {case['reference'][11:]}"


def rows(response) -> list[dict]:
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def status_text(app, case: dict, state: str) -> str:
    with app.test_request_context():
        return notify.status_text(case["reference"], state, "en")


def reply_text(app, case: dict) -> str:
    with app.test_request_context():
        return notify.reply_text(case["reference"], "en")


def new_phone() -> str:
    return f"+85512{uuid.uuid4().int % 1_000_000:06d}"
