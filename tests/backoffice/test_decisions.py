"""Moving an application along: each step is a status change in the registry
(actor, reason, note) and one text message to the applicant; only the steps
the role and the state allow; "changed by someone else" on a stale version."""

from __future__ import annotations

import pytest

from portal.applications import notify, states
from portal.registry_access import registry
from tests.backoffice.conftest import (
    OTHER_PROGRAMME,
    OTHER_VILLAGE,
    PROGRAMME,
    SETUP,
    TOKEN,
    applicant,
    application,
    detail_path,
    page,
    post,
    read_application,
    staff_client,
)


def sms_to(app, person: dict) -> list[str]:
    phone = person["phone_number"][0]
    return [m.text for m in app.extensions["sms_gateway"].messages()[::-1] if m.to == phone]


def status_sms(app, record: dict, state: str) -> str:
    with app.test_request_context():
        return notify.status_text(record["reference"], state, "km")


def last_change(record: dict) -> dict:
    return record["history"][-1]


def act(client, record: dict, action: str, **data):
    return post(client, f"{detail_path(record)}/{action}", detail_path(record), **data)


def test_a_commune_officer_marks_received_and_documents_checked(app, commune_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME)
    response = act(commune_officer, record, "received", note="Brought by her husband")
    assert response.status_code == 302 and response.location == detail_path(record)
    stored = read_application(app, record["id"])
    assert stored["status"] == "received"
    change = last_change(stored)
    assert change["actor"] == "officer:officer.sok"
    assert change["from_status"] == "submitted" and change["to_status"] == "received"
    assert change["note"] == "Brought by her husband"
    assert sms_to(app, person) == [status_sms(app, stored, "received")]
    shown = page(commune_officer.get(detail_path(record)))
    assert "Saved. The application is now “Received by the commune office”." in shown
    assert "Commune officer officer.sok" in shown

    assert act(commune_officer, record, "documents-checked").status_code == 302
    stored = read_application(app, record["id"])
    assert stored["status"] == "documents_checked"
    assert last_change(stored)["note"] is None
    assert sms_to(app, person)[-1] == status_sms(app, stored, "documents_checked")
    assert len(sms_to(app, person)) == 2


def test_asking_for_information_needs_to_say_what(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="received")
    empty = act(programme_officer, record, "information", note="  ")
    assert empty.status_code == 400
    assert "Write what the applicant must give" in page(empty)
    assert read_application(app, record["id"])["status"] == "received"
    asked = act(programme_officer, record, "information", note="សូមយកសំបុត្រកំណើតកូនមក")
    assert asked.status_code == 302
    stored = read_application(app, record["id"])
    assert stored["status"] == "information_requested"
    change = last_change(stored)
    assert change["reason"] == states.INFORMATION_NEEDED
    assert change["note"] == "សូមយកសំបុត្រកំណើតកូនមក"
    assert change["actor"] == "programme_officer:prog.dara"
    assert sms_to(app, person) == [status_sms(app, stored, "information_requested")]
    assert "Reason: Information needed" in page(programme_officer.get(detail_path(record)))


def test_approving_with_or_without_a_note(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="documents_checked")
    assert act(programme_officer, record, "approve").status_code == 302
    stored = read_application(app, record["id"])
    assert stored["status"] == "approved" and stored["payments"] == []
    assert sms_to(app, person) == [status_sms(app, stored, "approved")]
    other = application(app, applicant(app), PROGRAMME, state="documents_checked")
    assert act(programme_officer, other, "approve", note="All good").status_code == 302
    assert last_change(read_application(app, other["id"]))["note"] == "All good"


def test_refusing_needs_a_reason_code_and_a_note(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="documents_checked")
    missing = act(programme_officer, record, "refuse")
    assert missing.status_code == 400
    text = page(missing)
    assert "Choose the reason" in text and "Write why, in words the applicant understands" in text
    unknown = act(programme_officer, record, "refuse", reason="not_liked", note="No")
    assert unknown.status_code == 400
    refused = act(
        programme_officer, record, "refuse", reason="documents_missing", note="No ID card by 30 May"
    )
    assert refused.status_code == 302
    stored = read_application(app, record["id"])
    assert stored["status"] == "refused"
    assert last_change(stored)["reason"] == "documents_missing"
    assert last_change(stored)["note"] == "No ID card by 30 May"
    assert sms_to(app, person) == [status_sms(app, stored, "refused")]
    shown = page(programme_officer.get(detail_path(record)))
    assert "Reason: The documents needed were not brought in time." in shown


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("submitted", "approve"),
        ("received", "refuse"),
        ("approved", "information"),
        ("refused", "approve"),
        ("withdrawn", "received"),
        ("documents_checked", "received"),
    ],
)
def test_steps_the_state_does_not_allow_change_nothing(app, programme_officer, state, action):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state=state)
    # The forms are not on the page: send one with the version the page shows.
    with_version = {"version": str(record["version"]), "reason": "other", "note": "x"}
    token = TOKEN.search(programme_officer.get(detail_path(record)).get_data(as_text=True))
    response = programme_officer.post(
        f"{detail_path(record)}/{action}", data={"csrf_token": token.group(1), **with_version}
    )
    assert response.status_code == 409
    assert "This step is not possible now" in page(response)
    assert read_application(app, record["id"])["version"] == record["version"]
    assert sms_to(app, person) == []


def test_the_registry_refusal_of_a_step_is_said_in_words(app, programme_officer, monkeypatch):
    """Should the portal's rules let a step through, the registry's 422 is shown."""
    monkeypatch.setattr(states, "may_move", lambda role, current, target: True)
    record = application(app, applicant(app), PROGRAMME)
    token = TOKEN.search(programme_officer.get(detail_path(record)).get_data(as_text=True))
    response = programme_officer.post(
        f"{detail_path(record)}/approve",
        data={"csrf_token": token.group(1), "version": str(record["version"])},
    )
    assert response.status_code == 422
    assert "The registry did not accept this change. Nothing was changed." in page(response)
    assert read_application(app, record["id"])["status"] == "submitted"


def test_a_stale_version_is_changed_by_someone_else(app, programme_officer, commune_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME)
    shown = programme_officer.get(detail_path(record)).get_data(as_text=True)
    # Meanwhile the commune office marks it received.
    assert act(commune_officer, record, "received").status_code == 302
    response = programme_officer.post(
        f"{detail_path(record)}/documents-checked",
        data={"csrf_token": TOKEN.search(shown).group(1), "version": str(record["version"])},
    )
    assert response.status_code == 412
    text = page(response)
    assert "Someone else changed this application" in text
    assert "It is now “Received by the commune office”" in text
    assert read_application(app, record["id"])["status"] == "received"
    assert len(sms_to(app, person)) == 1  # only the commune office's change


def test_a_commune_officer_cannot_decide(app, commune_officer):
    record = application(app, applicant(app), PROGRAMME, state="documents_checked")
    for action in ("approve", "refuse", "information", "payments"):
        response = act(commune_officer, record, action, reason="other", note="x")
        assert response.status_code == 403, action
    assert commune_officer.get("/backoffice/applications/payments/import").status_code == 403
    assert read_application(app, record["id"])["status"] == "documents_checked"


def test_every_post_outside_the_scope_is_not_found(app, programme_officer, commune_officer):
    other_programme = application(app, applicant(app), OTHER_PROGRAMME, state="documents_checked")
    far = application(app, applicant(app, village=OTHER_VILLAGE), PROGRAMME)
    token = TOKEN.search(programme_officer.get("/staff/").get_data(as_text=True)).group(1)
    valid = {"csrf_token": token, "version": "1", "reason": "other", "note": "x"}
    for action in ("received", "documents-checked", "information", "approve", "refuse", "payments"):
        path = f"{detail_path(other_programme)}/{action}"
        assert programme_officer.post(path, data=valid).status_code == 404, action
        assert programme_officer.post(path, data={"csrf_token": token}).status_code == 404, action
    token = TOKEN.search(commune_officer.get("/staff/").get_data(as_text=True)).group(1)
    for action in ("received", "documents-checked"):
        path = f"{detail_path(far)}/{action}"
        response = commune_officer.post(path, data={**valid, "csrf_token": token})
        assert response.status_code == 404, action
    assert read_application(app, other_programme["id"])["status"] == "documents_checked"
    assert read_application(app, far["id"])["status"] == "submitted"


def test_forms_refuse_what_no_person_types(app, programme_officer):
    record = application(app, applicant(app), PROGRAMME, state="received")
    path = f"{detail_path(record)}/information"
    for data in (
        {"note": "bring\x00it"},
        {"note": "x" * 1001},
        {"note": "fine", "version": "abc"},
        {"note": "fine", "version": "9" * 40},
        {"note": "fine", "version": ""},
    ):
        response = post(programme_officer, path, detail_path(record), **data)
        assert response.status_code == 400, data
    no_token = programme_officer.post(path, data={"version": "2", "note": "fine"})
    assert no_token.status_code == 400
    assert read_application(app, record["id"])["status"] == "received"


def test_a_programme_officer_with_two_programmes_decides_both(app):
    officer = staff_client(
        app, "prog.both", "programme_officer", programmes=[PROGRAMME, OTHER_PROGRAMME]
    )
    record = application(app, applicant(app), OTHER_PROGRAMME, state="documents_checked")
    assert act(officer, record, "approve").status_code == 302
    with app.app_context():
        stored = registry(app).applications.read(record["id"], actor=SETUP)
    assert stored["status"] == "approved"
