"""Withdrawing a consent from /me, through HTTP: what it means, the write
through the outbox with the citizen as actor, a registry that does not
answer, and other people's consents and guessed ids (not found)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from sqlalchemy import func, select

from portal import outbox
from portal.database import db
from portal.outbox.models import REGISTRY, OutboxItem
from portal.outbox.worker import Worker
from portal.registry.client import RegistryUnavailable
from portal.registry.server.seed import demo_id
from portal.registry_access import registry
from tests.accounts.conftest import TEST_ACTOR
from tests.my_record.conftest import (
    demo_citizen_id,
    read_person,
    sign_in,
    text_of,
    text_of_html,
)

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
DEMO_CONSENT = demo_id("consent-0")  # household 0's head (the demo citizen): registration
OTHERS_CONSENT = demo_id("consent-1")  # household 1's head


def give_consent(app, spid: str, purpose: str = "sms_notifications") -> str:
    content = {
        "id": str(uuid.uuid4()),
        "individual_spid": spid,
        "purpose": purpose,
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": "portal:self-service",
        "collected_at": "2025-03-01T09:00:00+07:00",
    }
    with app.app_context():
        return registry(app).consents.create(content, actor=TEST_ACTOR)["id"]


def read_consent(app, consent_id: str) -> dict:
    with app.app_context():
        return registry(app).consents.read(consent_id, actor=TEST_ACTOR)


def registry_log_of(app, spid: str) -> list:
    """The access log of the person with this SPID (the registry's own record)."""
    with app.app_context():
        client = registry(app)
        person = client.persons.read_by_spid(spid, actor=TEST_ACTOR)
        return client.persons.access_log(person["id"], actor=TEST_ACTOR, page_size=100).entries


def withdraw_path(consent_id: str) -> str:
    return f"/me/consents/{consent_id}/withdraw"


def token(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def registry_down(app, monkeypatch, *, reads_too: bool) -> None:
    """The registry takes no write (e.g. its primary is down); with `reads_too`,
    it does not answer at all."""
    with app.app_context():
        connection = registry(app).connection
        call = connection.call

        def unavailable(method, path, *args, **kwargs):
            if reads_too or path.endswith("/update"):
                raise RegistryUnavailable("registry down for this test")
            return call(method, path, *args, **kwargs)

        monkeypatch.setattr(connection, "call", unavailable)


def writes_about(app, record_id: str) -> int:
    """How many registry writes about this record the outbox holds."""
    with app.app_context(), db.session() as session:
        query = select(func.count()).where(
            OutboxItem.record_id == record_id, OutboxItem.kind == REGISTRY
        )
        return session.scalar(query)


@pytest.fixture
def me(app):
    return read_person(app, demo_citizen_id())


@pytest.fixture
def citizen(app):
    client = app.test_client()
    sign_in(client, app)
    return client


def test_me_offers_to_withdraw_each_consent_still_given(app, citizen, me):
    texts = give_consent(app, me["spid"])
    body = citizen.get("/me").get_data(as_text=True)
    assert f'href="{withdraw_path(DEMO_CONSENT)}"' in body
    assert f'href="{withdraw_path(texts)}"' in body
    assert "Send you text messages" in text_of(citizen.get("/me"))


@pytest.mark.parametrize(
    ("purpose", "english", "khmer"),
    [
        ("sms_notifications", "You will no longer get text messages", "អ្នកនឹងលែងទទួលសារ"),
        ("data_sharing", "Programmes can no longer receive your details", "កម្មវិធីនានាមិនអាចទទួល"),
        ("registration", "Your record stays in the registry, as the law requires", "ដូចច្បាប់តម្រូវ"),
        ("assisted_service", "The commune office can no longer act for you", "មិនអាចធ្វើការជំនួសអ្នក"),
    ],
)
def test_the_page_says_what_withdrawing_means(app, citizen, me, purpose, english, khmer):
    consent_id = (
        DEMO_CONSENT if purpose == "registration" else give_consent(app, me["spid"], purpose)
    )
    page = text_of(citizen.get(withdraw_path(consent_id)))
    assert "Withdraw your consent?" in page and english in page
    assert "Withdraw my consent" in page
    page = text_of(citizen.get(f"{withdraw_path(consent_id)}?lang=km"))
    assert "ដកការយល់ព្រមរបស់អ្នកវិញឬ?" in page and khmer in page
    assert "ដកការយល់ព្រមរបស់ខ្ញុំវិញ" in page  # the button
    assert read_consent(app, consent_id)["state"] == "given"  # looking changes nothing


def test_withdrawing_writes_it_to_the_registry_with_the_citizen_as_actor(app, citizen, me):
    texts = give_consent(app, me["spid"])
    path = withdraw_path(texts)
    response = citizen.post(path, data={"csrf_token": token(citizen, path)})
    assert response.status_code == 302 and response.location == "/me"
    consent = read_consent(app, texts)
    assert consent["state"] == "withdrawn" and consent["withdrawn_at"]
    change = consent["history"][-1]
    assert change["to_status"] == "withdrawn"
    assert change["actor"] == f"citizen:{me['spid']}"
    assert change["on_behalf_of"] == me["spid"]
    body = citizen.get("/me").get_data(as_text=True)
    page = text_of_html(body)
    assert "Your consent was withdrawn: Send you text messages." in page
    assert "You took it back" in page
    assert f'href="{path}"' not in body  # nothing left to withdraw
    assert f'href="{withdraw_path(DEMO_CONSENT)}"' in body  # the other one is still given
    # the access log names why, in plain words
    assert "Why: About your consent" in text_of(citizen.get("/me/data-access"))


def test_an_already_withdrawn_consent_is_not_written_again(app, citizen, me):
    texts = give_consent(app, me["spid"])
    path = withdraw_path(texts)
    own_token = token(citizen, path)
    citizen.post(path, data={"csrf_token": own_token})
    before = read_consent(app, texts)
    page = text_of(citizen.get(path))
    assert "You already withdrew this consent" in page
    assert "Withdraw my consent" not in page
    response = citizen.post(path, data={"csrf_token": own_token})
    assert response.status_code == 200
    assert "You already withdrew this consent" in text_of(response)
    after = read_consent(app, texts)
    assert after["version"] == before["version"] and after["history"] == before["history"]
    assert writes_about(app, texts) == 1


def test_withdrawing_needs_the_security_token(app, citizen, me):
    texts = give_consent(app, me["spid"])
    response = citizen.post(withdraw_path(texts), data={})
    assert response.status_code == 400
    response = citizen.post(withdraw_path(texts), data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert read_consent(app, texts)["state"] == "given"


KNOWN = (OTHERS_CONSENT, demo_id("consent-7"))  # other people's consents in the demo


@pytest.mark.parametrize(
    "consent_id",
    [
        OTHERS_CONSENT,
        demo_id("consent-7"),
        "5fb02705-af57-414f-8ec6-d8c8856d2e1a",
        demo_citizen_id(),
    ],
)
def test_another_persons_consent_or_a_guessed_id_is_not_found(app, citizen, consent_id):
    own_token = token(citizen, withdraw_path(DEMO_CONSENT))
    others = read_consent(app, consent_id)["individual_spid"] if consent_id in KNOWN else None
    looked_at_before = len(registry_log_of(app, others)) if others else 0
    assert citizen.get(withdraw_path(consent_id)).status_code == 404
    response = citizen.post(withdraw_path(consent_id), data={"csrf_token": own_token})
    assert response.status_code == 404
    if others:
        assert read_consent(app, consent_id)["state"] == "given"
        # Nothing of the other person's was read for this citizen either: their
        # "who looked at my data" gained only the test's own two reads since
        # (the consent above, and their person record to list the log).
        logged = registry_log_of(app, others)
        assert len(logged) == looked_at_before + 2
        assert all(entry.actor == TEST_ACTOR.actor for entry in logged[:2])
    with app.app_context():
        assert outbox.submission(record_id=consent_id) is None  # nothing was sent


@pytest.mark.parametrize(
    "path",
    [
        "/me/consents/not-a-uuid/withdraw",
        "/me/consents/%00/withdraw",
        f"/me/consents/{'9' * 300}/withdraw",
        f"/me/consents/{DEMO_CONSENT}x/withdraw",
    ],
)
def test_a_malformed_id_is_not_found(citizen, path):
    assert citizen.get(path).status_code == 404


def test_the_page_needs_a_signed_in_citizen(app):
    response = app.test_client().get(withdraw_path(DEMO_CONSENT))
    assert response.status_code in (302, 401, 403)
    assert read_consent(app, DEMO_CONSENT)["state"] == "given"


def test_a_withdrawal_while_the_registry_is_down_waits_in_the_outbox(app, citizen, me, monkeypatch):
    texts = give_consent(app, me["spid"])
    path = withdraw_path(texts)
    own_token = token(citizen, path)
    registry_down(app, monkeypatch, reads_too=False)
    response = citizen.post(path, data={"csrf_token": own_token})
    assert response.status_code == 302 and response.location == "/me"
    with app.app_context():
        kept = outbox.submission(record_id=texts)
    assert kept is not None and kept.state == "waiting"
    assert read_consent(app, texts)["state"] == "given"
    body = citizen.get("/me").get_data(as_text=True)
    page = text_of_html(body)
    assert "We received your wish to withdraw this consent" in page
    assert "Taking it back: being sent" in page
    assert f'href="{path}"' not in body
    monkeypatch.undo()

    # while the registry does not answer at all, the page says it is on its way
    registry_down(app, monkeypatch, reads_too=True)
    page = text_of(citizen.get(path))
    assert "You asked to withdraw this consent" in page
    assert "Withdraw my consent" not in page
    assert citizen.get("/me").status_code == 503
    monkeypatch.undo()
    # sent again while it waits: no second write
    response = citizen.post(path, data={"csrf_token": own_token})
    assert "You asked to withdraw this consent" in text_of(response)
    assert writes_about(app, texts) == 1

    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        assert Worker(app, lease=30).work_until_empty() >= 1
    consent = read_consent(app, texts)
    assert consent["state"] == "withdrawn"
    assert consent["history"][-1]["actor"] == f"citizen:{me['spid']}"
    page = text_of(citizen.get("/me"))
    assert "Taking it back: being sent" not in page and "You took it back" in page
