"""/officer/changes: a commune officer checks the change requests of people of
their communes, oldest first, and confirms (the registry applies the change)
or refuses them with a reason, on the version they saw; the person gets one
text message per decision. A request outside their communes is not found."""

from __future__ import annotations

import uuid

import pytest

from portal.accounts.services import cambodian_mobile
from portal.notifications import messages
from portal.notifications.messages import parts, readable_reference
from portal.registry_access import registry
from tests.officer.conftest import COMMUNE, OTHER_VILLAGE, person
from tests.officer.worklist_support import (
    READER,
    change_request,
    decide,
    detail,
    english_officer,
    form_token,
    grouped,
    read_change,
    read_person,
    sent_days_ago,
    text,
    texts_to,
)
from tests.registry.factories import new_nin
from tests.staff.conftest import create_staff, sign_in

OFFICER = "officer.sok"
ACTOR = f"officer:{OFFICER}"


@pytest.fixture
def officer(app):
    return english_officer(app, OFFICER, [COMMUNE])


@pytest.fixture
def villager(app):
    return person(
        app,
        name_km={"surname": "ចាន់", "given_name": "ស្រីពៅ"},
        name={"surname": "Chan", "given_name": "Sreypov"},
    )


def test_the_list_shows_what_waits_in_my_communes_oldest_first(app, officer, villager):
    older = change_request(
        app, villager, "address", proposed_changes={"address": {"village_code": "12010102"}}
    )
    newer = change_request(app, villager, "phone_number", status="in_review")
    decided = change_request(app, villager, "phone_number", status="approved")
    far = change_request(app, person(app, village=OTHER_VILLAGE))
    sent_days_ago(app, older["id"], 3)

    response = officer.get("/officer/changes")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert detail(older) in page and detail(newer) in page
    assert detail(decided) not in page and detail(far) not in page
    assert page.index(detail(older)) < page.index(detail(newer))
    shown = text(response)
    assert "Moved house" in shown and "New phone number" in shown
    assert "ចាន់ ស្រីពៅ (Chan Sreypov)" in shown and grouped(villager["spid"]) in shown
    assert "3 days" in shown and "Sent today" in shown
    assert "Being checked" in shown
    assert "2 requests wait." in shown


def test_confirming_applies_the_change_and_texts_the_person(app, officer, villager):
    change = change_request(app, villager, "phone_number")
    new_phone = cambodian_mobile(change["proposed_changes"]["phone_number"][0])

    page = text(officer.get(detail(change)))
    assert "New phone number" in page and grouped(villager["spid"]) in page
    old = villager["phone_number"][0].replace("+855", "0")
    assert f"{old[:3]} {old[3:6]} {old[6:]}" in page  # the record now, beside what is asked

    response = decide(officer, change, "confirm")
    assert response.status_code == 302 and response.location == detail(change)
    stored = read_change(app, change["id"])
    assert stored["status"] == "approved" and stored["applied_at"]
    moves = [(e["from_status"], e["to_status"], e["actor"]) for e in stored["history"][1:]]
    assert moves == [("submitted", "in_review", ACTOR), ("in_review", "approved", ACTOR)]
    assert read_person(app, villager["id"])["phone_number"] == [new_phone]
    with app.test_request_context():
        expected = messages.change_decided(
            f"CR-{stored['created_at'][:4]}-{uuid.UUID(change['id']).int % 1_000_000:06d}",
            True,
            "km",
        )
    assert texts_to(app, new_phone) == [expected]
    with app.app_context():
        log = registry(app).persons.access_log(villager["id"], actor=READER).entries
    assert any(e.actor == ACTOR and e.purpose == "change request review" for e in log)
    shown = text(officer.get(detail(change)))
    assert "Saved. The request is now “Approved”." in shown
    assert "Confirm the request" not in shown  # decided: no more decisions


def test_refusing_needs_a_reason_and_the_person_reads_it(app, officer, villager):
    change = change_request(
        app, villager, "address", proposed_changes={"address": {"village_code": "12010102"}}
    )
    for reason in ("", "   ", "a\x00b", "x" * 501):
        response = decide(officer, change, "refuse", reason=reason)
        assert response.status_code == 400, reason
    assert "Write why, in words the person understands" in text(decide(officer, change, "refuse"))
    assert read_change(app, change["id"])["status"] == "submitted"

    reason = "ភូមិថ្មីមិនត្រូវនឹងលិខិតមេភូមិទេ"
    assert decide(officer, change, "refuse", reason=reason).status_code == 302
    stored = read_change(app, change["id"])
    assert stored["status"] == "rejected"
    last = stored["history"][-1]
    assert (last["to_status"], last["reason"], last["note"], last["actor"]) == (
        "rejected",
        reason,
        None,
        ACTOR,
    )
    sent = texts_to(app, villager["phone_number"][0])
    assert len(sent) == 1 and "CR-" in sent[0]
    assert (
        read_person(app, villager["id"])["address"]["village_code"]
        == villager["address"]["village_code"]
    )


def test_a_long_reason_is_kept_whole(app, officer, villager):
    change = change_request(app, villager, status="in_review")
    reason = "ត្រូវការសំបុត្រ " * 30  # 450 characters: more than the registry's reason holds
    assert decide(officer, change, "refuse", reason=reason).status_code == 302
    last = read_change(app, change["id"])["history"][-1]
    assert last["note"] == reason.strip() and len(last["reason"]) == 200
    assert last["reason"].endswith("…") and reason.startswith(last["reason"][:-1])


def test_a_stale_version_says_someone_else_changed_it(app, officer, villager):
    change = change_request(app, villager)
    shown = officer.get(detail(change)).get_data(as_text=True)
    with app.app_context():
        registry(app).change_requests.update(change["id"], {"status": "in_review"}, actor=READER)
    token = form_token(officer)
    version = str(change["version"])
    assert f'value="{version}"' in shown
    response = officer.post(
        f"{detail(change)}/confirm", data={"csrf_token": token, "version": version}
    )
    assert response.status_code == 412
    assert "Someone else changed this request while you were looking at it" in text(response)
    assert "“Being checked”" in text(response)
    assert read_change(app, change["id"])["status"] == "in_review"


def test_a_decided_request_cannot_be_decided_again(app, officer, villager):
    change = change_request(app, villager, status="approved")
    token = form_token(officer)
    stored = read_change(app, change["id"])
    response = officer.post(
        f"{detail(change)}/refuse",
        data={"csrf_token": token, "version": str(stored["version"]), "reason": "no"},
    )
    assert response.status_code == 409
    assert "This request is decided already" in text(response)
    assert read_change(app, change["id"])["status"] == "approved"


def test_a_request_the_registry_cannot_apply_stays_being_checked(app, officer, villager):
    nin = new_nin()
    proposed = {"identifier": [{"identifier_type": "NIN", "identifier_value": nin}]}
    change = change_request(app, villager, "identifier", proposed_changes=proposed)
    person(app, identifier=[{"identifier_type": "NIN", "identifier_value": nin}])

    response = decide(officer, change, "confirm")

    assert response.status_code == 422
    assert "The registry could not apply this change" in text(response)
    assert read_change(app, change["id"])["status"] == "in_review"
    assert read_person(app, villager["id"])["identifier"] == villager["identifier"]
    assert texts_to(app, villager["phone_number"][0]) == []


def test_requests_outside_my_communes_are_not_found(app, officer, villager):
    far = change_request(app, person(app, village=OTHER_VILLAGE))
    token = form_token(officer)
    valid = {"csrf_token": token, "version": str(far["version"]), "reason": "no"}
    for change_id in (far["id"], str(uuid.uuid4())):
        path = f"/officer/changes/{change_id}"
        assert officer.get(path).status_code == 404
        assert officer.post(f"{path}/confirm", data=valid).status_code == 404
        assert officer.post(f"{path}/refuse", data=valid).status_code == 404
    assert officer.get("/officer/changes/not-a-uuid").status_code == 404
    assert read_change(app, far["id"])["status"] == "submitted"
    # The officer of the other commune does see it.
    other = english_officer(app, "officer.dara", [OTHER_VILLAGE[:6]])
    assert other.get(f"/officer/changes/{far['id']}").status_code == 200
    assert other.get(detail(change_request(app, villager))).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"version": ""},
        {"version": "abc"},
        {"version": "9" * 40},
        {"version": "1\x00"},
        {},
    ],
)
def test_forms_refuse_what_no_person_sends(app, officer, villager, data):
    change = change_request(app, villager)
    response = officer.post(
        f"{detail(change)}/confirm", data={"csrf_token": form_token(officer), **data}
    )
    assert response.status_code == 400
    assert read_change(app, change["id"])["status"] == "submitted"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "2"])
def test_pages_that_do_not_exist_are_not_found(app, officer, page):
    assert officer.get(f"/officer/changes?page={page}").status_code == 404
    assert officer.get(f"/officer/grievances?page={page}").status_code == 404


def test_signed_out_people_and_other_roles_cannot_see_the_work_lists(app, villager):
    change = change_request(app, villager)
    anonymous = app.test_client()
    for path in ("/officer/changes", detail(change), "/officer/grievances", "/officer/activity"):
        assert anonymous.get(path).status_code == 302
    client = app.test_client()
    secret = create_staff(app, "prog.dara", "programme_officer")
    sign_in(client, "prog.dara", secret)
    for path in ("/officer/changes", detail(change), "/officer/grievances", "/officer/activity"):
        assert client.get(path).status_code == 403


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("approved", [True, False])
@pytest.mark.parametrize("reference", ["CR-2026-004217", "CL-2026-99999999"])
def test_the_decision_text_fits_two_parts(app, language, approved, reference):
    with app.test_request_context():
        sent = messages.change_decided(reference, approved, language)
    assert parts(sent) <= 2, sent
    assert any("\u1780" <= char <= "\u17ff" for char in sent) == (language == "km")
    assert readable_reference(reference) in sent
