"""A handler works a case from the case page: takes it, acknowledges it,
replies, writes an internal note and decides, and the reporter gets exactly
one text message per status change and public reply; a supervisor decides an
appeal (closing the appealed case), assigns, keeps a named colleague away;
links to an application and a person; a "my data is wrong" case becomes a
change request; a stale version is "changed by someone else"."""

from __future__ import annotations

import pytest

from portal.registry_access import registry
from tests.backoffice.cases.casework import (
    act,
    case_app,
    case_path,
    handler,
    move,
    new_case,
    new_phone,
    page,
    read,
    reply_text,
    status_text,
    supervisor,
    texts_to,
)
from tests.backoffice.conftest import SETUP, applicant, application

COMMUNE = "120101"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return case_app(tmp_path_factory, "case_flow")


def test_a_handler_works_a_case_to_a_decision(app):
    phone = new_phone()
    case = new_case(app, commune=COMMUNE, phone=phone)
    client = handler(app, "flow.dara", [COMMUNE])
    detail = page(client.get(case_path(case)))
    assert "The payment for October did not come." in detail
    assert "Assign it to me" in detail

    response = act(client, case, "take")
    assert response.status_code == 302 and response.location == case_path(case)
    assert read(app, case["id"])["assignee"] == "flow.dara"
    assert "The case is yours now." in page(client.get(case_path(case)))

    assert act(client, case, "status", status="acknowledged", note="Seen").status_code == 302
    assert act(client, case, "reply", text="We are checking the payment list.").status_code == 302
    assert act(client, case, "note", text="Called the paying agent.").status_code == 302
    response = act(
        client,
        case,
        "decide",
        outcome="resolved",
        decision_code="upheld",
        explanation="The October payment will be paid next week.",
    )
    assert response.status_code == 302

    done = read(app, case["id"])
    assert done["status"] == "resolved" and done["decision_code"] == "upheld"
    decided = [e for e in done["history"] if e.get("to_status") == "resolved"][-1]
    assert decided["note"] == "The October payment will be paid next week."
    assert decided["actor"] == "grievance_handler:flow.dara"
    kinds = [(e["kind"], e.get("note") or e.get("text")) for e in done["events"]]
    assert ("public_reply", "We are checking the payment list.") in kinds
    assert ("internal_note", "Called the paying agent.") in kinds
    assert ("public_reply", "The October payment will be paid next week.") in kinds
    # One message per status change and per reply (the decision's explanation
    # is in the status message's case, not a second message); none for the note.
    assert texts_to(app, phone) == [
        status_text(app, case, "acknowledged"),
        reply_text(app, case),
        status_text(app, case, "resolved"),
    ]
    detail = page(client.get(case_path(case)))
    assert "Called the paying agent." in detail  # staff read internal notes
    assert "You were right: it will be put right" in detail


def test_a_stale_version_is_shown_again_as_changed_by_someone_else(app):
    case = new_case(app, commune=COMMUNE)
    client = handler(app, "flow.stale", [COMMUNE])
    version = read(app, case["id"])["version"]
    move(app, case, "acknowledged")
    response = act(client, case, "note", version=version, text="Late note")
    assert response.status_code == 412
    assert "Someone else changed this case" in page(response)
    assert not [e for e in read(app, case["id"])["events"] if e["kind"] == "internal_note"]


def test_moves_the_state_does_not_allow_are_refused(app):
    case = move(app, new_case(app, commune=COMMUNE), "acknowledged")
    client = handler(app, "flow.moves", [COMMUNE])
    response = act(client, case, "status", status="received")
    assert response.status_code == 400  # not a choice for an acknowledged case
    assert read(app, case["id"])["status"] == "acknowledged"


def test_action_forms_refuse_hostile_input(app):
    case = new_case(app, commune=COMMUNE)
    client = handler(app, "flow.hostile", [COMMUNE])
    for action, data in (
        ("reply", {"text": "a\x00b"}),
        ("reply", {"text": "x" * 5000}),
        ("note", {"text": ""}),
        ("status", {"status": "closed\x00"}),
        ("decide", {"outcome": "resolved", "decision_code": "bogus", "explanation": "x"}),
        ("link", {"application": "1" * 20}),
        ("link", {"spid": "9" * 20}),
        ("link", {}),
    ):
        response = act(client, case, action, **data)
        assert response.status_code == 400, (action, data)
        assert "There is a problem" in page(response)
    response = act(client, case, "note", version="9" * 20, text="x")
    assert response.status_code == 400
    assert client.post(case_path(case, "note"), data={"text": "no token"}).status_code == 400
    assert read(app, case["id"])["version"] == case["version"]


def test_supervisor_assigns_but_not_to_someone_named_or_who_may_not_see_it(app):
    case = new_case(app, commune=COMMUNE, excluded_staff=["flow.named"])
    handler(app, "flow.named", [COMMUNE])
    handler(app, "flow.faraway", ["010201"])
    handler(app, "flow.near", [COMMUNE])
    boss = supervisor(app, "flow.boss")
    for username, message in (
        ("flow.named", "named in the case"),
        ("flow.faraway", "may not see this case"),
        ("no.such.person", "No grievance handler or supervisor has this username"),
        ("Bad Name!", "Enter a staff username"),
    ):
        response = act(boss, case, "assign", username=username)
        assert response.status_code == 400, username
        assert message in page(response), username
    assert act(boss, case, "assign", username="flow.near").status_code == 302
    assert read(app, case["id"])["assignee"] == "flow.near"


def test_supervisor_keeps_a_named_colleague_away_and_unassigns_them(app):
    case = new_case(app, commune=COMMUNE, assignee="flow.accused")
    accused = handler(app, "flow.accused", [COMMUNE])
    assert accused.get(case_path(case)).status_code == 200
    boss = supervisor(app, "flow.boss2")
    assert act(boss, case, "exclude", username="flow.accused").status_code == 302
    now = read(app, case["id"])
    assert now["excluded_staff"] == ["flow.accused"] and now["assignee"] is None
    assert accused.get(case_path(case)).status_code == 404
    # A supervisor who stands aside goes back to the queue.
    response = act(boss, case, "exclude", username="flow.boss2")
    assert response.status_code == 302 and response.location == "/backoffice/grievances"
    assert boss.get(case_path(case)).status_code == 404


def test_deciding_an_appeal_closes_the_appealed_case(app):
    phone = new_phone()
    original = new_case(app, commune=COMMUNE, phone=phone)
    move(app, original, "rejected", decision_code="not_upheld", note="No fault found")
    original = move(app, original, "appealed", reason="appealed")
    appeal = new_case(app, commune=COMMUNE, phone=phone, appeal_of=original["id"])
    boss = supervisor(app, "flow.appeals")
    detail = page(boss.get(case_path(appeal)))
    assert "Appeal against:" in detail
    response = act(
        boss,
        appeal,
        "decide",
        outcome="resolved",
        decision_code="partly_upheld",
        explanation="Half of the amount is due.",
    )
    assert response.status_code == 302
    assert read(app, appeal["id"])["status"] == "resolved"
    closed = read(app, original["id"])
    assert closed["status"] == "closed"
    assert closed["history"][-1]["reason"] == "appeal_decided"


def test_link_to_an_application_and_a_person_then_make_a_change_request(app):
    person = applicant(app)
    record = application(app, person)
    case = new_case(app, commune=COMMUNE, category="registration", spid=person["spid"])
    client = handler(app, "flow.links", [COMMUNE])
    assert "Make the change request" not in page(client.get(case_path(case)))
    response = act(client, case, "link", application="AP-2000-000000")
    assert response.status_code == 400 and "No application has this reference" in page(response)
    response = act(client, case, "link", spid="12345678901")
    assert response.status_code == 400 and "No person in the registry" in page(response)
    reference = record["reference"].lower().replace("-", " ")
    response = act(client, case, "link", application=reference, spid=person["spid"])
    assert response.status_code == 302
    linked = read(app, case["id"])
    assert linked["application_id"] == record["id"]
    assert linked["subject_spid"] == person["spid"]

    # What is wrong, and what it should be: a name in the wrong script is refused.
    latin_in_khmer = {"detail": "name_km", "surname": "Sok", "given_name": "Dara"}
    response = act(client, case, "change-request", **latin_in_khmer)
    assert response.status_code == 400 and "Write the name in Khmer letters" in page(response)
    no_date = {"detail": "birth_date"}
    response = act(client, case, "change-request", **no_date)
    assert response.status_code == 400 and "Enter the right date of birth" in page(response)
    assert read(app, case["id"]).get("change_request_id") is None

    corrected = {"detail": "name_km", "surname": "សុខ", "given_name": "ដារ៉ា"}
    assert act(client, case, "change-request", **corrected).status_code == 302
    made = read(app, case["id"])
    assert made["change_request_id"]
    with app.app_context():
        request = registry(app).change_requests.read(made["change_request_id"], actor=SETUP)
    assert request["person_spid"] == person["spid"]
    assert request["request_type"] == "name"
    assert request["proposed_changes"] == {"name_km": {"surname": "សុខ", "given_name": "ដារ៉ា"}}
    assert request["status"] == "submitted"
    assert case["reference"] in request["justification"]
    assert [e for e in made["events"] if e["kind"] == "internal_note"]
    assert "Make the change request" not in page(client.get(case_path(case)))
    # Only once, and only for a linked "my data is wrong" case.
    assert act(client, case, "change-request", **corrected).status_code == 409
    other = new_case(app, commune=COMMUNE, category="payment")
    assert act(client, other, "change-request", **corrected).status_code == 409


def test_a_wrong_date_of_birth_becomes_a_change_request(app):
    person = applicant(app)
    case = new_case(app, commune=COMMUNE, category="registration", spid=person["spid"])
    client = handler(app, "flow.birth", [COMMUNE])
    assert act(client, case, "link", spid=person["spid"]).status_code == 302
    date = {"birth_date-day": "3", "birth_date-month": "4", "birth_date-year": "1961"}
    response = act(client, case, "change-request", detail="birth_date", **date)
    assert response.status_code == 302
    with app.app_context():
        made = read(app, case["id"])
        request = registry(app).change_requests.read(made["change_request_id"], actor=SETUP)
    assert request["request_type"] == "birth_date"
    assert request["proposed_changes"] == {"birth_date": "1961-04-03"}
