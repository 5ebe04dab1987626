"""A registry that does not answer when the application is sent: it is still
received, through the outbox, and the person is told so with the reference;
the worker delivers it later."""

from __future__ import annotations

import datetime as dt

import time_machine

from portal.outbox.worker import Worker
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.applications.conftest import (
    TOKEN,
    Walker,
    applications_of,
    make_applicant,
    page_text,
    signed_in,
    sms_about,
    text,
    verified_card,
)

WAITING = "Received, not yet in the registry"


def registry_down(app, monkeypatch) -> None:
    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("registry down for this test")

    with app.app_context():
        monkeypatch.setattr(registry(app).connection, "call", unavailable)


def test_an_application_sent_while_the_registry_is_down_is_delivered_later(app, monkeypatch):
    elder = make_applicant(app, birth_date="1949-09-19", card=verified_card())
    spid = elder["person"]["spid"]
    walker = Walker(signed_in(app, elder["phone"]))
    check = walker.answer_all("elderly_allowance", {})
    form = {"csrf_token": TOKEN.search(text(walker.client.get(check))).group(1)}

    registry_down(app, monkeypatch)
    response = walker.client.post(check, data=form)
    assert response.location == "/applications/sent"
    page = page_text(walker.client.get("/applications/sent"))
    assert "The registry is not answering just now" in page
    reference = walker.reference()
    assert len(sms_about(app, elder["phone"], reference)) == 1

    # The list and the application's page say it honestly, registry or not.
    listed = walker.client.get("/applications")
    assert listed.status_code == 200 and WAITING in page_text(listed)
    assert f'href="/applications/{reference}"' in text(listed)
    assert WAITING in page_text(walker.client.get(f"/applications/{reference}"))
    # Waiting, it is still an open application: no second one.
    assert walker.client.get("/applications/new/elderly_allowance").status_code == 409

    monkeypatch.undo()
    assert applications_of(app, spid) == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        assert Worker(app, lease=30).work_until_empty() >= 1
    (record,) = applications_of(app, spid)
    assert record["reference"] == reference
    assert record["eligibility"]["status"] == "eligible"
    assert record["facts"]["person"] == {"birth_date": "1949-09-19"}
    assert len(sms_about(app, elder["phone"], reference)) == 2  # received, then delivered
    page = page_text(walker.client.get(f"/applications/{reference}"))
    assert WAITING not in page and "What happened" in page


def test_the_list_needs_the_registry_when_nothing_waits(app, monkeypatch):
    client = signed_in(app, make_applicant(app, birth_date="1960-01-01")["phone"])
    registry_down(app, monkeypatch)
    response = client.get("/applications")
    assert response.status_code == 503


def writes_fail(app, monkeypatch) -> None:
    """The registry answers reads but not writes (e.g. its primary is down)."""
    with app.app_context():
        connection = registry(app).connection
        call = connection.call

        def reads_only(method, path, *args, **kwargs):
            if path.endswith("/update"):
                raise RegistryUnavailable("registry writes down for this test")
            return call(method, path, *args, **kwargs)

        monkeypatch.setattr(connection, "call", reads_only)


WITHDRAWN_KM = "បានដកវិញ"
RECEIVED_KM = "យើងបានទទួល"


def worker_runs(app, minutes: int = 5) -> None:
    """The outbox worker, a few minutes on: it sends what the SMS provider's
    rate held back, and delivers what the registry did not take."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    with time_machine.travel(later, tick=True):
        Worker(app, lease=30).work_until_empty()


def counted(texts: list[str], words: str) -> int:
    return sum(words in text for text in texts)


def test_a_withdrawal_sent_while_the_registry_is_down_is_texted_when_delivered(app, monkeypatch):
    elder = make_applicant(app, birth_date="1950-03-03", card=verified_card())
    walker = Walker(signed_in(app, elder["phone"]))
    walker.apply("elderly_allowance")
    reference = walker.reference()
    path = f"/applications/{reference}"
    form = {"csrf_token": TOKEN.search(text(walker.client.get(f"{path}/withdraw"))).group(1)}

    writes_fail(app, monkeypatch)
    assert walker.client.post(f"{path}/withdraw", data=form).location == path
    worker_runs(app)  # the registry still takes no write
    texts = sms_about(app, elder["phone"], reference)
    # the application's receipt, then the withdrawal's: received, not yet withdrawn
    assert counted(texts, RECEIVED_KM) == 2 and counted(texts, WITHDRAWN_KM) == 0

    monkeypatch.undo()
    worker_runs(app, minutes=60)
    (record,) = applications_of(app, elder["person"]["spid"])
    assert record["status"] == "withdrawn"
    texts = sms_about(app, elder["phone"], reference)
    assert counted(texts, WITHDRAWN_KM) == 1 and WITHDRAWN_KM in texts[0]


def test_a_withdrawal_the_registry_takes_at_once_is_texted_once(app):
    elder = make_applicant(app, birth_date="1951-04-04", card=verified_card())
    walker = Walker(signed_in(app, elder["phone"]))
    walker.apply("elderly_allowance")
    reference = walker.reference()
    path = f"/applications/{reference}"
    form = {"csrf_token": TOKEN.search(text(walker.client.get(f"{path}/withdraw"))).group(1)}
    assert walker.client.post(f"{path}/withdraw", data=form).location == path
    worker_runs(app)  # anything the SMS provider's rate held back
    texts = sms_about(app, elder["phone"], reference)
    # the application's receipt and the withdrawal: no "received" for the withdrawal
    assert counted(texts, RECEIVED_KM) == 1 and counted(texts, WITHDRAWN_KM) == 1
