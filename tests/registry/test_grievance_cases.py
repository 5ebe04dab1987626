"""The registry's rules for grievance cases: references read aloud, confidential
subjects, reopening once, appeals, escalation once, decision times, repeat
reports linked, staff kept away from a case, and the back office's filters
and orders. Through the client, against the reference registry."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from portal.registry.client import Actor, RegistryValidationError, etag_of
from tests.registry.factories import new_id, new_phone, person_content

HANDLER = Actor(actor="grievance_handler:dara", purpose="grievance handling")
SYSTEM = Actor(actor="system:escalation", purpose="grievance escalation")


def case(**overrides) -> dict:
    record_id = new_id()
    return {
        "id": record_id,
        "reference": f"GR-2026-{uuid.UUID(record_id).int % 1_000_000:06d}",
        "category": "payment",
        "description": "The payment for October did not come.",
        "channel": "web",
        "complainant": {"anonymous": False, "contact_phone": new_phone(), "language": "km"},
        "commune_code": "010201",
        **overrides,
    }


def move(registry, record: dict, *statuses: str, **fields) -> dict:
    for status in statuses:
        record = registry.grievances.update(
            record["id"], {"status": status, **fields}, actor=HANDLER, reason="test"
        )
    return record


def days_from_today(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_the_reference_is_the_clients_and_never_changes(registry, actor):
    content = case()
    created = registry.grievances.create(content, actor=actor)
    assert created["reference"] == content["reference"]
    with pytest.raises(RegistryValidationError) as caught:
        registry.grievances.update(created["id"], {"reference": "GR-2026-000001"}, actor=HANDLER)
    assert "write.content.reference" in caught.value.field_errors
    # Two cases may share a reference: it is read with a phone, a PIN or a person.
    twin = registry.grievances.create(case(reference=content["reference"]), actor=actor)
    found = registry.grievances.list(actor=actor, reference=content["reference"])
    assert {created["id"], twin["id"]} <= {g["id"] for g in found.results}


def test_a_reference_not_read_aloud_is_refused(registry, actor):
    for bad in ("GRV-7KQ4-M2XP", "GR-26-004217", "GR-2026-0042170"):
        with pytest.raises(RegistryValidationError):
            registry.grievances.create(case(reference=bad), actor=actor)


@pytest.mark.parametrize("category", ["staff_conduct", "fraud", "abuse"])
def test_confidential_subjects_are_always_confidential(registry, actor, category):
    created = registry.grievances.create(case(category=category, confidential=False), actor=actor)
    assert created["confidential"] is True
    assert created["id"] not in [
        g["id"]
        for g in registry.grievances.list(
            actor=actor, confidential="false", page_size=100, ordering="-created_at"
        ).results
    ]


def test_a_case_is_decided_then_reopened_once(registry, actor):
    created = registry.grievances.create(case(), actor=actor)
    assert created["decided_at"] is None
    decided = move(registry, created, "acknowledged", "resolved", decision_code="upheld")
    assert decided["decided_at"] is not None
    reopened = move(registry, decided, "reopened")
    assert reopened["status"] == "reopened"
    again = move(registry, reopened, "resolved")
    assert again["decided_at"] >= decided["decided_at"]
    with pytest.raises(RegistryValidationError) as caught:
        move(registry, again, "reopened")
    assert "write.content.status" in caught.value.field_errors


def test_an_appeal_is_linked_and_not_appealed_again(registry, actor):
    original = move(registry, registry.grievances.create(case(), actor=actor), "rejected")
    appealed = move(registry, original, "appealed")
    appeal = registry.grievances.create(
        case(appeal_of=original["id"], confidential=True), actor=actor
    )
    assert appealed["status"] == "appealed" and appeal["appeal_of"] == original["id"]
    assert [
        g["id"] for g in registry.grievances.list(actor=actor, appeal_of=original["id"]).results
    ] == [appeal["id"]]
    decided = move(registry, appeal, "resolved")
    with pytest.raises(RegistryValidationError):
        move(registry, decided, "appealed")
    closed = move(registry, appealed, "closed")
    assert closed["status"] == "closed"


def test_a_case_is_escalated_once_with_a_history_entry(registry, actor):
    created = registry.grievances.create(case(resolve_by=days_from_today(-1)), actor=actor)
    moment = dt.datetime.now(dt.UTC).isoformat()
    escalated = registry.grievances.update(
        created["id"], {"escalated_at": moment}, actor=SYSTEM, if_match=etag_of(created)
    )
    assert [e["kind"] for e in escalated["events"]] == ["escalation"]
    assert escalated["events"][0]["actor"] == "system:escalation"
    with pytest.raises(RegistryValidationError) as caught:
        registry.grievances.update(
            created["id"], {"escalated_at": dt.datetime.now(dt.UTC).isoformat()}, actor=SYSTEM
        )
    assert "write.content.escalated_at" in caught.value.field_errors
    # Saying the same again changes nothing and adds no entry.
    same = registry.grievances.update(created["id"], {"escalated_at": moment}, actor=SYSTEM)
    assert [e["kind"] for e in same["events"]] == ["escalation"]


def test_a_repeat_report_is_linked_to_the_earlier_one(registry, actor):
    phone = new_phone()
    reporter = {"anonymous": False, "contact_phone": phone, "language": "km"}
    first = registry.grievances.create(case(complainant=reporter), actor=actor)
    other_subject = registry.grievances.create(
        case(complainant=reporter, category="registration"), actor=actor
    )
    second = registry.grievances.create(case(complainant=reporter), actor=actor)
    assert first["repeat_of"] is None and other_subject["repeat_of"] is None
    assert second["repeat_of"] == first["id"]
    assert registry.grievances.read(first["id"], actor=actor)["status"] == "received"


def test_a_repeat_by_spid(registry, actor):
    spid = registry.persons.create(person_content(), actor=actor)["spid"]
    reporter = {"anonymous": False, "spid": spid}
    first = registry.grievances.create(case(complainant=reporter), actor=actor)
    second = registry.grievances.create(case(complainant=reporter), actor=actor)
    assert second["repeat_of"] == first["id"]


def test_staff_named_in_a_case_are_kept_away_for_good(registry, actor):
    created = registry.grievances.create(case(category="staff_conduct"), actor=actor)
    named = registry.grievances.update(
        created["id"], {"excluded_staff": ["sok.dara", "chan_vy"]}, actor=HANDLER
    )
    assert named["excluded_staff"] == ["chan_vy", "sok.dara"]
    visible = {
        g["id"]
        for g in registry.grievances.list(
            actor=actor, visible_to="sok.dara", confidential="true", page_size=100
        ).results
    }
    assert created["id"] not in visible
    # "_" is not a wildcard: chanxvy is not chan_vy
    assert created["id"] in {
        g["id"]
        for g in registry.grievances.list(
            actor=actor, visible_to="chanxvy", confidential="true", page_size=100
        ).results
    }
    with pytest.raises(RegistryValidationError):
        registry.grievances.update(created["id"], {"excluded_staff": []}, actor=HANDLER)
    with pytest.raises(RegistryValidationError) as caught:
        registry.grievances.update(created["id"], {"assignee": "sok.dara"}, actor=HANDLER)
    assert "write.content.assignee" in caught.value.field_errors


def test_the_queue_filters_and_orders(registry, actor):
    commune = "010202"
    # The registry is shared by the tests of a session: these cases have a programme of their own.
    programme = f"queue_{uuid.uuid4().hex[:12]}"
    late = registry.grievances.create(
        case(commune_code=commune, resolve_by=days_from_today(-2), programme_id=programme),
        actor=actor,
    )
    today = registry.grievances.create(
        case(commune_code=commune, resolve_by=days_from_today(0), programme_id=programme),
        actor=actor,
    )
    soon = registry.grievances.create(
        case(
            commune_code=commune,
            resolve_by=days_from_today(3),
            assignee="sok.dara",
            programme_id=programme,
        ),
        actor=actor,
    )
    escalated = registry.grievances.create(
        case(commune_code=commune, resolve_by=days_from_today(9), programme_id=programme),
        actor=actor,
    )
    registry.grievances.update(
        escalated["id"], {"escalated_at": dt.datetime.now(dt.UTC).isoformat()}, actor=SYSTEM
    )

    def ids(**filters):
        found = registry.grievances.list(
            actor=actor, commune_code=commune, programme_id=programme, page_size=100, **filters
        )
        return [g["id"] for g in found.results]

    assert ids(ordering="resolve_by") == [late["id"], today["id"], soon["id"], escalated["id"]]
    assert ids(ordering="escalated_first")[0] == escalated["id"]
    assert ids(due_before=days_from_today(0)) == [late["id"]]
    assert ids(due_from=days_from_today(0), due_before=days_from_today(1)) == [today["id"]]
    assert ids(assigned="true") == [soon["id"]]
    assert set(ids(assigned="false")) == {late["id"], today["id"], escalated["id"]}
    assert ids(escalated="true") == [escalated["id"]]
    assert len(ids(grievance_status="received,acknowledged")) == 4
    assert ids(grievance_status="resolved") == []
    both = registry.grievances.list(
        actor=actor, commune_code=f"{commune},010201", programme_id=programme, page_size=1
    )
    assert both.count == 4


@pytest.mark.parametrize(
    "filters",
    [
        {"assigned": "maybe"},
        {"due_before": "yesterday"},
        {"grievance_status": "in_progress"},
        {"ordering": "resolve"},
        {"commune_code": "010201,"},
    ],
)
def test_bad_filters_are_refused(registry, actor, filters):
    with pytest.raises(RegistryValidationError):
        registry.grievances.list(actor=actor, **filters)


def test_an_appeal_is_not_a_repeat(registry, actor):
    reporter = {"anonymous": False, "contact_phone": new_phone(), "language": "km"}
    first = move(
        registry, registry.grievances.create(case(complainant=reporter), actor=actor), "rejected"
    )
    appeal = registry.grievances.create(
        case(complainant=reporter, appeal_of=first["id"]), actor=actor
    )
    assert appeal["repeat_of"] is None


def test_a_persons_grievances_by_spid_or_phone_and_the_anonymous_ones(registry, actor):
    spid = registry.persons.create(person_content(), actor=actor)["spid"]
    phone = new_phone()
    by_spid = registry.grievances.create(
        case(complainant={"anonymous": False, "spid": spid}), actor=actor
    )
    by_phone = registry.grievances.create(
        case(complainant={"anonymous": False, "contact_phone": phone}), actor=actor
    )
    anonymous = registry.grievances.create(case(complainant={"anonymous": True}), actor=actor)
    mine = registry.grievances.list(actor=actor, reporter=f"{spid},{phone}", page_size=100)
    assert {g["id"] for g in mine.results} == {by_spid["id"], by_phone["id"]}
    unnamed = registry.grievances.list(
        actor=actor, anonymous="true", reference=anonymous["reference"], page_size=100
    )
    assert anonymous["id"] in {g["id"] for g in unnamed.results}
    named = registry.grievances.list(
        actor=actor, anonymous="true", reference=by_phone["reference"], page_size=100
    )
    assert by_phone["id"] not in {g["id"] for g in named.results}
    with pytest.raises(RegistryValidationError):
        registry.grievances.list(actor=actor, reporter=",".join([phone] * 11))
