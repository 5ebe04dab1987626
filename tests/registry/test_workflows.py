"""Applications, grievances, consents and change requests: transitions and history."""

from __future__ import annotations

import re

import pytest

from portal.registry.client import (
    Actor,
    RegistryConflict,
    RegistryForbidden,
    RegistryValidationError,
    etag_of,
)
from tests.registry.conftest import make_client, new_credentials
from tests.registry.factories import new_id, person_content


@pytest.fixture
def spid(registry, actor):
    return registry.persons.create(person_content(), actor=actor)["spid"]


def application(spid: str, **overrides) -> dict:
    return {
        "id": new_id(),
        "programme_id": "family-package",
        "applicant_spid": spid,
        "facts": {"children_under_5": 2, "pregnant": False},
        "channel": "web",
        **overrides,
    }


def grievance(**overrides) -> dict:
    return {
        "id": new_id(),
        "category": "payment",
        "description": "ប្រាក់ឧបត្ថម្ភមិនទាន់បានទទួល",
        "channel": "web",
        "complainant": {"anonymous": True},
        "commune_code": "010201",
        **overrides,
    }


def test_application_moves_through_allowed_states_with_history(registry, actor, spid):
    created = registry.applications.create(application(spid), actor=actor)
    assert created["status"] == "submitted"
    reviewer = Actor(actor="staff:reviewer", purpose="eligibility-review")
    registry.applications.update(created["id"], {"status": "received"}, actor=reviewer)
    registry.applications.update(created["id"], {"status": "documents_checked"}, actor=reviewer)
    approved = registry.applications.update(
        created["id"], {"status": "approved"}, actor=reviewer, reason="eligible", note="IDPoor 1"
    )
    steps = [(h["from_status"], h["to_status"]) for h in approved["history"]]
    assert steps == [
        (None, "submitted"),
        ("submitted", "received"),
        ("received", "documents_checked"),
        ("documents_checked", "approved"),
    ]
    last = approved["history"][-1]
    assert (last["actor"], last["reason"], last["note"]) == (
        "staff:reviewer",
        "eligible",
        "IDPoor 1",
    )


def test_disallowed_transition_is_422_and_changes_nothing(registry, actor, spid):
    created = registry.applications.create(application(spid), actor=actor)
    with pytest.raises(RegistryValidationError) as caught:
        registry.applications.update(created["id"], {"status": "approved"}, actor=actor)
    assert "write.content.status" in caught.value.field_errors
    assert registry.applications.read(created["id"], actor=actor)["status"] == "submitted"


def test_new_records_start_in_the_initial_state(registry, actor, spid):
    with pytest.raises(RegistryValidationError):
        registry.applications.create(application(spid, status="approved"), actor=actor)


def test_application_needs_a_registered_applicant(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.applications.create(application("00000000000"), actor=actor)
    assert "write.content.applicant_spid" in caught.value.field_errors


def test_application_retry_with_same_id_is_safe(registry, actor, spid):
    content = application(spid)
    first = registry.applications.update_or_create(content, actor=actor)
    second = registry.applications.update_or_create(content, actor=actor)
    assert first["version"] == second["version"] == 1
    with pytest.raises(RegistryConflict):
        registry.applications.create(content, actor=actor)
    assert registry.applications.list(actor=actor, applicant_spid=spid).count == 1


def test_grievance_gets_a_reference_due_dates_and_events(registry, actor):
    created = registry.grievances.create(grievance(), actor=actor)
    assert re.fullmatch(r"GR-\d{4}-\d{6}", created["reference"])
    assert created["acknowledge_by"] < created["resolve_by"]
    found = registry.grievances.list(actor=actor, reference=created["reference"].lower())
    assert created["id"] in [g["id"] for g in found.results]
    handler = Actor(actor="staff:handler", purpose="grievance-handling")
    registry.grievances.update(
        created["id"], {"status": "investigating", "assignee": "staff:handler"}, actor=handler
    )
    registry.grievances.add_event(created["id"], "public_reply", "យើងកំពុងពិនិត្យ", actor=handler)
    latest = registry.grievances.add_event(
        created["id"], "internal_note", "Called the commune", actor=handler
    )
    kinds = [e["kind"] for e in latest["events"]]
    assert kinds == ["assignment", "public_reply", "internal_note"]
    assert latest["events"][1]["note"] == "យើងកំពុងពិនិត្យ"
    assert [h["to_status"] for h in latest["history"]] == ["received", "investigating"]
    assert registry.grievances.list(actor=actor, assignee="staff:handler").count >= 1


def test_anonymous_grievance_cannot_carry_a_name(registry, actor, spid):
    with pytest.raises(RegistryValidationError) as caught:
        registry.grievances.create(
            grievance(complainant={"anonymous": True, "spid": spid}), actor=actor
        )
    assert "write.content.complainant.spid" in caught.value.field_errors


def test_grievance_commune_must_exist_and_appeal_must_point_at_a_grievance(registry, actor):
    with pytest.raises(RegistryValidationError) as caught:
        registry.grievances.create(
            grievance(commune_code="019999", appeal_of=new_id()), actor=actor
        )
    assert set(caught.value.field_errors) == {
        "write.content.commune_code",
        "write.content.appeal_of",
    }


def test_grievance_decision_satisfaction_and_appeal(registry, actor):
    first = registry.grievances.create(grievance(), actor=actor)
    for status in ("investigating", "resolved"):
        registry.grievances.update(first["id"], {"status": status}, actor=actor)
    decided = registry.grievances.update(
        first["id"], {"decision_code": "not_upheld", "satisfaction": 1}, actor=actor
    )
    assert decided["decision_code"] == "not_upheld"
    appeal = registry.grievances.create(grievance(appeal_of=first["id"]), actor=actor)
    assert appeal["appeal_of"] == first["id"]


def test_managing_grievances_needs_the_grievance_scope(registry_app, actor):
    credentials = new_credentials(registry_app, ["registry.read", "registry.write"])
    import httpx

    limited = make_client(
        credentials, "http://localhost", transport=httpx.WSGITransport(app=registry_app)
    )
    created = limited.grievances.create(grievance(), actor=actor)
    with pytest.raises(RegistryForbidden):
        limited.grievances.update(created["id"], {"status": "investigating"}, actor=actor)
    limited.close()


def test_consent_withdrawal_is_recorded(registry, actor, spid):
    consent = registry.consents.create(
        {
            "id": new_id(),
            "individual_spid": spid,
            "purpose": "data_sharing",
            "legal_basis": "consent",
            "opt_in": True,
            "collected_by": "portal:web",
            "collected_at": "2025-03-01T09:30:00+07:00",
        },
        actor=actor,
    )
    assert consent["state"] == "given" and consent["withdrawn_at"] is None
    withdrawn = registry.consents.withdraw(consent["id"], actor=actor, reason="citizen request")
    assert withdrawn["state"] == "withdrawn" and withdrawn["withdrawn_at"]
    assert withdrawn["history"][-1]["reason"] == "citizen request"
    with pytest.raises(RegistryValidationError):
        registry.consents.update(consent["id"], {"state": "given"}, actor=actor)


def test_change_request_review_with_etag(registry, actor, spid):
    request = registry.change_requests.create(
        {
            "id": new_id(),
            "person_spid": spid,
            "request_type": "phone_number",
            "proposed_changes": {"phone_number": ["+85516555666"]},
        },
        actor=actor,
    )
    in_review = registry.change_requests.update(
        request["id"], {"status": "in_review"}, actor=actor, if_match=etag_of(request)
    )
    assert in_review["version"] == 2
    rejected = registry.change_requests.update(
        request["id"], {"status": "rejected"}, actor=actor, reason="number not verified"
    )
    assert [h["to_status"] for h in rejected["history"]] == ["submitted", "in_review", "rejected"]


def test_change_request_proposals_follow_the_person_schema(registry, actor, spid):
    with pytest.raises(RegistryValidationError) as caught:
        registry.change_requests.create(
            {
                "id": new_id(),
                "person_spid": spid,
                "request_type": "other",
                "proposed_changes": {"favourite_colour": "blue"},
            },
            actor=actor,
        )
    assert "write.content.proposed_changes.favourite_colour" in caught.value.field_errors
