"""What the reporter does on the case they tracked: add information, say
whether they are satisfied, reopen once within 30 days, appeal (a linked case
for a supervisor). Each change of state texts them exactly once."""

from __future__ import annotations

import pytest

from portal.extensions import limiter
from portal.notifications.messages import readable_reference
from portal.registry_access import registry
from tests.grievances.conftest import READER, make_case, move, page_text, read, token
from tests.grievances.test_track import act, anonymous_case, e164, english, track
from tests.registry.factories import new_phone


@pytest.fixture(autouse=True)
def fresh_limits(app):
    with app.app_context():
        limiter.reset()


def texts_about(app, phone: str, reference: str) -> list[str]:
    return [
        message.text
        for message in app.extensions["sms_gateway"].messages()
        if message.to == e164(phone) and readable_reference(reference) in message.text
    ]


def tracked(app, case: dict, proof: str):
    client = english(app)
    assert track(client, case["reference"], proof).status_code == 302
    return client


def decided(app, phone: str, **fields) -> dict:
    case = make_case(app, phone=phone, **fields)
    return move(app, case, "resolved", decision_code="not_upheld")


def test_add_information_while_open(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    client = tracked(app, case, phone)
    response = act(client, "/track/case/information", {"text": "The officer was Mr Dara."})
    assert response.status_code == 302
    events = read(app, case["id"])["events"]
    assert [(e["kind"], e["note"]) for e in events] == [
        ("information_given", "The officer was Mr Dara.")
    ]
    assert "The officer was Mr Dara." in page_text(client.get("/track/case"))
    assert texts_about(app, phone, case["reference"]) == []  # no change of state


def test_information_is_not_asked_after_a_decision(app):
    phone = new_phone()
    client = tracked(app, case := decided(app, phone), phone)
    assert 'name="text"' not in client.get("/track/case").get_data(as_text=True)
    act(client, "/track/case/information", {"text": "More."})
    assert read(app, case["id"])["events"] == []


def test_satisfied_closes_the_case_and_texts_once(app):
    phone = new_phone()
    case = decided(app, phone)
    client = tracked(app, case, phone)
    assert "Are you satisfied" in page_text(client.get("/track/case?lang=en"))
    assert act(client, "/track/case/satisfied", {"satisfied": "yes"}).status_code == 302
    again = act(client, "/track/case/satisfied", {"satisfied": "yes"})  # a double tap
    assert again.status_code == 302
    now = read(app, case["id"])
    assert (now["status"], now["satisfied"]) == ("closed", True)
    assert now["history"][-1]["reason"] == "satisfied"
    assert len(texts_about(app, phone, case["reference"])) == 1


def test_not_satisfied_keeps_the_case_and_offers_reopen_and_appeal(app):
    phone = new_phone()
    case = decided(app, phone)
    client = tracked(app, case, phone)
    act(client, "/track/case/satisfied", {"satisfied": "no"})
    now = read(app, case["id"])
    assert (now["status"], now["satisfied"]) == ("resolved", False)
    page = page_text(client.get("/track/case?lang=en"))
    assert "Are you satisfied" not in page
    assert "Ask for it to be looked at again" in page and "Appeal to a supervisor" in page
    assert texts_about(app, phone, case["reference"]) == []


def test_reopen_once(app):
    phone = new_phone()
    case = decided(app, phone)
    client = tracked(app, case, phone)
    assert client.get("/track/case/reopen").status_code == 200
    response = act(client, "/track/case/reopen", {"reason": "Still no money."})
    assert response.status_code == 302
    now = read(app, case["id"])
    assert now["status"] == "reopened"
    assert (now["history"][-1]["reason"], now["history"][-1]["note"]) == (
        "reopened_by_reporter",
        "Still no money.",
    )
    assert now["resolve_by"] and now["acknowledge_by"]
    assert len(texts_about(app, phone, case["reference"])) == 1

    move(app, now, "investigating")
    move(app, now, "resolved", decision_code="not_upheld")
    page = page_text(client.get("/track/case?lang=en"))
    assert "Ask for it to be looked at again" not in page
    act(client, "/track/case/reopen", {"reason": "Again."})
    assert read(app, case["id"])["status"] == "resolved"


def test_appeal_opens_a_linked_case(app):
    phone = new_phone()
    case = decided(app, phone, commune="120101")
    client = tracked(app, case, phone)
    assert "A supervisor" in page_text(client.get("/track/case/appeal?lang=en"))
    response = act(client, "/track/case/appeal", {"reason": "The decision is wrong."})
    assert response.status_code == 302
    assert read(app, case["id"])["status"] == "appealed"
    with app.app_context():
        appeals = registry(app).grievances.list(actor=READER, appeal_of=case["id"]).results
    assert len(appeals) == 1
    appeal = appeals[0]
    assert appeal["description"] == "The decision is wrong."
    assert appeal["confidential"] is True
    assert (appeal["category"], appeal["commune_code"]) == (case["category"], "120101")
    assert appeal["complainant"]["contact_phone"] == e164(phone)
    page = page_text(client.get("/track/case?lang=en"))
    assert readable_reference(appeal["reference"]) in page
    assert len(texts_about(app, phone, case["reference"])) == 1  # appealed
    assert len(texts_about(app, phone, appeal["reference"])) == 1  # the appeal's reference
    # Not twice, and an appeal is not appealed.
    act(client, "/track/case/appeal", {"reason": "Again."})
    with app.app_context():
        assert registry(app).grievances.list(actor=READER, appeal_of=case["id"]).count == 1


def test_an_anonymous_reporters_pin_follows_the_appeal(app):
    case = anonymous_case(app)
    move(app, case, "resolved", decision_code="not_upheld")
    client = tracked(app, case, "123456")
    act(client, "/track/case/appeal", {"reason": "Nobody asked me."})
    with app.app_context():
        appeal = registry(app).grievances.list(actor=READER, appeal_of=case["id"]).results[0]
    assert appeal["complainant"]["anonymous"] is True
    other = english(app)
    assert track(other, appeal["reference"], "123456").status_code == 302
    assert "Nobody asked me." in page_text(other.get("/track/case"))


def test_the_tracked_case_is_checked_again_on_each_post(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    client = tracked(app, case, phone)
    # The case's phone changes (staff corrected it): the session's proof no longer fits.
    with app.app_context():
        current = registry(app).grievances.read(case["id"], actor=READER)
        complainant = {**current["complainant"], "contact_phone": e164(new_phone())}
    move(app, current, "received", complainant=complainant)
    response = client.post(
        "/track/case/information", data={"csrf_token": token(client, "/track"), "text": "x"}
    )
    assert response.location == "/track"
    assert read(app, case["id"])["events"] == []
