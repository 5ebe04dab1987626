"""The application record: reference, commune, decision path, events, payments, filters."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.registry.client import Actor, RegistryValidationError
from portal.registry.server.applications import ApplicationKind
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import OTHER_VILLAGE, VILLAGE, new_id, person_content

TRANSITIONS = ApplicationKind.transitions
STATES = tuple(TRANSITIONS)
PROGRAMME_OFFICER = Actor(actor="programme_officer:dara.p", purpose="application-decision")
COMMUNE_OFFICER = Actor(actor="officer:sok.o", purpose="application-review")


def _paths_from_submitted() -> dict[str, list[str]]:
    """The shortest sequence of states leading from submitted to each state."""
    paths = {"submitted": []}
    queue = deque(["submitted"])
    while queue:
        state = queue.popleft()
        for following in TRANSITIONS[state]:
            if following not in paths:
                paths[following] = [*paths[state], following]
                queue.append(following)
    return paths


PATHS = _paths_from_submitted()
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]


@pytest.fixture
def spid(inprocess, actor) -> str:
    return inprocess.persons.create(person_content(), actor=actor)["spid"]


def content(spid: str, **overrides) -> dict:
    return {
        "id": new_id(),
        "programme_id": "pregnancy_child_cash",
        "applicant_spid": spid,
        "facts": {"person.sex": "female"},
        "channel": "web",
        **overrides,
    }


def payment(**overrides) -> dict:
    return {
        "id": new_id(),
        "paid_on": "2026-02-05",
        "period": "2026-01",
        "amount_riel": 40000,
        **overrides,
    }


def field_errors(call) -> dict[str, str]:
    with pytest.raises(RegistryValidationError) as caught:
        call()
    return caught.value.field_errors


def walk(registry, application_id: str, states: list[str]) -> dict:
    record = registry.applications.read(application_id, actor=PROGRAMME_OFFICER)
    for state in states:
        record = registry.applications.update(
            application_id, {"status": state}, actor=PROGRAMME_OFFICER
        )
    return record


def created_in(registry, spid: str, state: str, **overrides) -> dict:
    record = registry.applications.create(content(spid, **overrides), actor=COMMUNE_OFFICER)
    return walk(registry, record["id"], PATHS[state])


# --- reference -----------------------------------------------------------------


def test_the_registry_gives_a_reference_from_the_year_and_the_id(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    year = datetime.fromisoformat(record["created_at"]).astimezone(UTC).year
    assert record["reference"] == f"AP-{year}-{uuid.UUID(record['id']).int % 1_000_000:06d}"


def test_a_reference_given_is_kept_and_found_in_any_case(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid, reference="AP-2026-004217"), actor=actor)
    assert record["reference"] == "AP-2026-004217"
    for written in ("AP-2026-004217", "ap-2026-004217"):
        found = inprocess.applications.list(actor=actor, applicant_spid=spid, reference=written)
        assert [a["id"] for a in found.results] == [record["id"]]
    other = inprocess.applications.list(
        actor=actor, applicant_spid=spid, reference="AP-2026-004218"
    )
    assert other.count == 0


def test_the_reference_never_changes(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    errors = field_errors(
        lambda: inprocess.applications.update(
            record["id"], {"reference": "AP-1999-000001"}, actor=actor
        )
    )
    assert "write.content.reference" in errors
    same = inprocess.applications.update(
        record["id"], {"reference": record["reference"]}, actor=actor
    )
    assert (same["reference"], same["version"]) == (record["reference"], record["version"])
    errors = field_errors(
        lambda: inprocess.applications.update_or_create(
            {**content(spid), "id": record["id"], "reference": "AP-1999-000001"}, actor=actor
        )
    )
    assert "write.content.reference" in errors
    assert (
        inprocess.applications.read(record["id"], actor=actor)["reference"] == record["reference"]
    )


def test_a_malformed_reference_is_422(inprocess, actor, spid):
    for bad in ("AP-26-004217", "GRV-2026-004217", "AP-2026-0042170"):
        errors = field_errors(
            lambda bad=bad: inprocess.applications.create(content(spid, reference=bad), actor=actor)
        )
        assert "write.content.reference" in errors


# --- commune -------------------------------------------------------------------


def test_the_commune_comes_from_the_applicants_address(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    assert record["commune_code"] == VILLAGE[:6]


def test_an_applicant_without_an_address_leaves_the_commune_empty(inprocess, actor):
    homeless = person_content()
    del homeless["address"]
    spid = inprocess.persons.create(homeless, actor=actor)["spid"]
    record = inprocess.applications.create(content(spid), actor=actor)
    assert record["commune_code"] is None
    given = inprocess.applications.update(
        record["id"], {"commune_code": OTHER_VILLAGE[:6]}, actor=actor
    )
    assert given["commune_code"] == OTHER_VILLAGE[:6]


def test_a_commune_given_is_kept_and_must_exist(inprocess, actor, spid):
    record = inprocess.applications.create(
        content(spid, commune_code=OTHER_VILLAGE[:6]), actor=actor
    )
    assert record["commune_code"] == OTHER_VILLAGE[:6]
    errors = field_errors(
        lambda: inprocess.applications.create(content(spid, commune_code="019999"), actor=actor)
    )
    assert "write.content.commune_code" in errors
    errors = field_errors(
        lambda: inprocess.applications.update(record["id"], {"commune_code": "019999"}, actor=actor)
    )
    assert "write.content.commune_code" in errors
    kept = inprocess.applications.update(record["id"], {"answers": {"x": 1}}, actor=actor)
    assert kept["commune_code"] == OTHER_VILLAGE[:6]


# --- states --------------------------------------------------------------------


def test_the_states_are_the_agreed_ones():
    assert set(STATES) == {
        "submitted",
        "received",
        "information_requested",
        "documents_checked",
        "approved",
        "refused",
        "enrolled",
        "withdrawn",
    }
    assert set(PATHS) == set(STATES)  # every state can be reached
    assert {state for state, targets in TRANSITIONS.items() if not targets} == {
        "refused",
        "enrolled",
        "withdrawn",
    }


@pytest.mark.parametrize(("start", "target"), ALLOWED, ids=[f"{a}-{b}" for a, b in ALLOWED])
def test_every_allowed_transition(inprocess, spid, start, target):
    record = created_in(inprocess, spid, start)
    assert record["status"] == start
    moved = inprocess.applications.update(
        record["id"], {"status": target}, actor=PROGRAMME_OFFICER, reason="r", note="n"
    )
    assert moved["status"] == target
    last = moved["history"][-1]
    assert (last["from_status"], last["to_status"], last["reason"], last["note"]) == (
        start,
        target,
        "r",
        "n",
    )


@pytest.mark.parametrize("start", STATES)
def test_every_other_transition_is_422_and_changes_nothing(inprocess, spid, start):
    record = created_in(inprocess, spid, start)
    forbidden = [s for s in STATES if s != start and s not in TRANSITIONS[start]]
    assert forbidden
    for target in forbidden:
        errors = field_errors(
            lambda target=target: inprocess.applications.update(
                record["id"], {"status": target}, actor=PROGRAMME_OFFICER
            )
        )
        assert "write.content.status" in errors
    after = inprocess.applications.read(record["id"], actor=PROGRAMME_OFFICER)
    assert (after["status"], after["version"]) == (start, record["version"])


def test_old_state_names_are_refused(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    for old in ("in_review", "needs_information", "rejected"):
        errors = field_errors(
            lambda old=old: inprocess.applications.update(
                record["id"], {"status": old}, actor=actor
            )
        )
        assert "write.content.status" in errors


def test_history_keeps_who_why_and_the_note(inprocess, spid):
    record = created_in(inprocess, spid, "received")
    asked = inprocess.applications.update(
        record["id"],
        {"status": "information_requested"},
        actor=PROGRAMME_OFFICER,
        reason="information_needed",
        note="សូមយកសំបុត្រកំណើតកូនមក",
    )
    back = inprocess.applications.update(
        record["id"], {"status": "received"}, actor=COMMUNE_OFFICER
    )
    checked = inprocess.applications.update(
        record["id"], {"status": "documents_checked"}, actor=COMMUNE_OFFICER
    )
    refused = inprocess.applications.update(
        record["id"],
        {"status": "refused"},
        actor=PROGRAMME_OFFICER,
        reason="documents_missing",
        note="No birth certificate after 30 days",
    )
    assert asked["history"][-1]["reason"] == "information_needed"
    assert asked["history"][-1]["note"] == "សូមយកសំបុត្រកំណើតកូនមក"
    assert back["history"][-1]["actor"] == "officer:sok.o"
    assert checked["status"] == "documents_checked"
    steps = [(h["to_status"], h["actor"], h["reason"], h["note"]) for h in refused["history"]]
    assert steps[-4:] == [
        ("information_requested", "programme_officer:dara.p", "information_needed",
         "សូមយកសំបុត្រកំណើតកូនមក"),
        ("received", "officer:sok.o", None, None),
        ("documents_checked", "officer:sok.o", None, None),
        ("refused", "programme_officer:dara.p", "documents_missing",
         "No birth certificate after 30 days"),
    ]  # fmt: skip
    assert refused["events"] == []


# --- events --------------------------------------------------------------------


def test_events_are_recorded_apart_from_the_status_history(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    given = inprocess.applications.add_event(
        record["id"], "information_given", "ខ្ញុំបានយកសំបុត្រកំណើតមកហើយ", actor=actor
    )
    noted = inprocess.applications.add_event(
        record["id"], "internal_note", "Called the mother", actor=PROGRAMME_OFFICER
    )
    assert [(e["kind"], e["note"], e["actor"]) for e in noted["events"]] == [
        ("information_given", "ខ្ញុំបានយកសំបុត្រកំណើតមកហើយ", actor.actor),
        ("internal_note", "Called the mother", "programme_officer:dara.p"),
    ]
    assert [h["to_status"] for h in noted["history"]] == ["submitted"]
    assert noted["version"] == given["version"] + 1 == record["version"] + 2


def test_the_same_event_twice_in_a_row_is_recorded_once(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    first = inprocess.applications.add_event(record["id"], "information_given", "Paid", actor=actor)
    again = inprocess.applications.add_event(record["id"], "information_given", "Paid", actor=actor)
    assert len(again["events"]) == 1
    assert again["version"] == first["version"]  # a retried delivery changes nothing
    # Another actor, another text or another kind is another event.
    other_actor = inprocess.applications.add_event(
        record["id"], "information_given", "Paid", actor=PROGRAMME_OFFICER
    )
    other_kind = inprocess.applications.add_event(
        record["id"], "internal_note", "Paid", actor=PROGRAMME_OFFICER
    )
    # Not the last entry any more: the same words later are a new event.
    later = inprocess.applications.add_event(record["id"], "information_given", "Paid", actor=actor)
    assert len(other_actor["events"]) == 2 and len(other_kind["events"]) == 3
    assert len(later["events"]) == 4


def test_an_answer_with_its_status_change_retried_is_recorded_once(inprocess, spid):
    record = created_in(inprocess, spid, "information_requested")
    answer = {"event": {"kind": "information_given", "text": "សំបុត្រកំណើតនៅទីនេះ"}}

    def deliver():
        return inprocess.applications.update(
            record["id"], {"status": "received"}, actor=COMMUNE_OFFICER, extra=answer
        )

    first, second = deliver(), deliver()
    assert second["version"] == first["version"]
    assert [e["kind"] for e in second["events"]] == ["information_given"]
    assert [h["to_status"] for h in second["history"]][-2:] == ["information_requested", "received"]


def test_an_event_of_another_record_type_is_refused(inprocess, actor, spid):
    record = inprocess.applications.create(content(spid), actor=actor)
    for kind, text in (
        ("public_reply", "x"),
        ("information_given", ""),
        ("internal_note", "x" * 2001),
    ):
        errors = field_errors(
            lambda kind=kind, text=text: inprocess.applications.add_event(
                record["id"], kind, text, actor=actor
            )
        )
        assert any(field.startswith("write.event") for field in errors), errors


# --- payments ------------------------------------------------------------------


def test_approve_then_enrol_with_the_first_payment_in_one_write(inprocess, spid):
    record = created_in(inprocess, spid, "approved")
    first = payment()
    enrolled = inprocess.applications.update(
        record["id"], {"status": "enrolled", "payments": [first]}, actor=PROGRAMME_OFFICER
    )
    assert enrolled["status"] == "enrolled"
    assert enrolled["payments"] == [{**first, "provider_reference": None}]
    second = payment(period="2026-02", paid_on="2026-03-05", provider_reference="WING-1234")
    paid = inprocess.applications.update(
        record["id"], {"payments": [*enrolled["payments"], second]}, actor=PROGRAMME_OFFICER
    )
    assert [p["id"] for p in paid["payments"]] == [first["id"], second["id"]]
    assert paid["payments"][1]["provider_reference"] == "WING-1234"
    # The same list again (a retry) changes nothing.
    again = inprocess.applications.update(
        record["id"], {"payments": paid["payments"]}, actor=PROGRAMME_OFFICER
    )
    assert again["version"] == paid["version"]


@pytest.mark.parametrize("state", ["submitted", "received", "documents_checked", "approved"])
def test_payments_only_on_an_enrolled_application(inprocess, spid, state):
    record = created_in(inprocess, spid, state)
    errors = field_errors(
        lambda: inprocess.applications.update(
            record["id"], {"payments": [payment()]}, actor=PROGRAMME_OFFICER
        )
    )
    assert "write.content.payments" in errors
    assert inprocess.applications.read(record["id"], actor=PROGRAMME_OFFICER)["payments"] == []


def test_a_new_application_has_no_payments(inprocess, actor, spid):
    assert inprocess.applications.create(content(spid), actor=actor)["payments"] == []
    errors = field_errors(
        lambda: inprocess.applications.create(content(spid, payments=[payment()]), actor=actor)
    )
    assert "write.content.payments" in errors


def test_payments_are_only_added_to(inprocess, spid):
    record = created_in(inprocess, spid, "enrolled")
    first, second = payment(), payment(period="2026-02")
    paid = inprocess.applications.update(
        record["id"], {"payments": [first, second]}, actor=PROGRAMME_OFFICER
    )
    changed = {**paid["payments"][0], "amount_riel": 400000}
    attempts = {
        "changed": [changed, paid["payments"][1]],
        "removed": [paid["payments"][1]],
        "emptied": [],
        "same id twice": [*paid["payments"], {**payment(), "id": first["id"]}],
        "same id twice, other case": [*paid["payments"], {**payment(), "id": first["id"].upper()}],
    }
    for name, payments in attempts.items():
        errors = field_errors(
            lambda payments=payments: inprocess.applications.update(
                record["id"], {"payments": payments}, actor=PROGRAMME_OFFICER
            )
        )
        assert "write.content.payments" in errors, name
    after = inprocess.applications.read(record["id"], actor=PROGRAMME_OFFICER)
    assert (after["payments"], after["version"]) == (paid["payments"], paid["version"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount_riel", 100_000_001),
        ("amount_riel", 10**30),
        ("amount_riel", 0),
        ("amount_riel", -5),
        ("amount_riel", 1.5),
        ("amount_riel", "40000"),
        ("period", "2026-13"),
        ("period", "2026-00"),
        ("period", "2026-1"),
        ("period", "26-01"),
        ("period", "२०२६-०१"),
        ("paid_on", "2026-02-30"),
        ("paid_on", "yesterday"),
        ("id", "not-a-uuid"),
        ("provider_reference", "x" * 65),
        ("surprise", "x"),
    ],
)
def test_hostile_payment_values_are_422(inprocess, spid, field, value):
    record = created_in(inprocess, spid, "approved")
    errors = field_errors(
        lambda: inprocess.applications.update(
            record["id"],
            {"status": "enrolled", "payments": [payment(**{field: value})]},
            actor=PROGRAMME_OFFICER,
        )
    )
    assert any(name.startswith("write.content.payments") for name in errors), errors
    after = inprocess.applications.read(record["id"], actor=PROGRAMME_OFFICER)
    assert (after["status"], after["payments"]) == ("approved", [])


def test_more_than_500_payments_is_422(inprocess, spid):
    record = created_in(inprocess, spid, "enrolled")
    errors = field_errors(
        lambda: inprocess.applications.update(
            record["id"], {"payments": [payment() for _ in range(501)]}, actor=PROGRAMME_OFFICER
        )
    )
    assert "write.content.payments" in errors


# --- what was submitted --------------------------------------------------------


def test_answers_eligibility_and_documents_due_date_are_kept(inprocess, actor, spid):
    eligibility = {
        "status": "likely_eligible",
        "reasons": [{"code": "idpoor_level_1", "text": "The household has an Equity Card."}],
        "evaluated_on": "2026-01-10",
    }
    record = inprocess.applications.create(
        content(
            spid,
            answers={"expected_delivery_date": "2026-06-01", "for_whom": "self"},
            eligibility=eligibility,
            documents_due_by="2026-02-09",
        ),
        actor=actor,
    )
    read = inprocess.applications.read(record["id"], actor=actor)
    assert read["answers"] == {"expected_delivery_date": "2026-06-01", "for_whom": "self"}
    assert read["eligibility"] == eligibility
    assert read["documents_due_by"] == "2026-02-09"
    bare = inprocess.applications.create(content(spid), actor=actor)
    assert (bare["answers"], bare["eligibility"], bare["documents_due_by"]) == ({}, None, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("answers", {f"q{n}": n for n in range(31)}),
        ("eligibility", {"status": "maybe", "reasons": [], "evaluated_on": "2026-01-10"}),
        ("eligibility", {"status": "eligible", "reasons": [{"code": "x", "text": "x" * 501}],
                         "evaluated_on": "2026-01-10"}),
        ("eligibility", {"status": "eligible", "reasons": [{"code": "x", "text": "x"}] * 31,
                         "evaluated_on": "2026-01-10"}),
        ("eligibility", {"status": "eligible", "reasons": []}),
        ("documents_due_by", "2026-02-31"),
        ("commune_code", "01020"),
    ],
)  # fmt: skip
def test_hostile_application_values_are_422(inprocess, actor, spid, field, value):
    errors = field_errors(
        lambda: inprocess.applications.create(content(spid, **{field: value}), actor=actor)
    )
    assert any(name.startswith(f"write.content.{field}") for name in errors), errors


# --- lists ---------------------------------------------------------------------


def test_filters_take_several_values_separated_by_commas(inprocess, actor, spid):
    made = {
        "a": created_in(inprocess, spid, "submitted", programme_id="elderly_allowance"),
        "b": created_in(inprocess, spid, "received", programme_id="disability_allowance"),
        "c": created_in(
            inprocess, spid, "refused", programme_id="scholarship", commune_code=OTHER_VILLAGE[:6]
        ),
    }

    def found(**filters) -> set[str]:
        page = inprocess.applications.list(
            actor=actor, applicant_spid=spid, page_size=100, **filters
        )
        ids = {record["id"] for record in page.results}
        assert page.count == len(ids)
        return {name for name, record in made.items() if record["id"] in ids}

    assert found() == {"a", "b", "c"}
    assert found(programme_id="elderly_allowance") == {"a"}
    assert found(programme_id="elderly_allowance,scholarship") == {"a", "c"}
    assert found(application_status="submitted,received") == {"a", "b"}
    assert found(application_status="refused") == {"c"}
    assert found(commune_code=VILLAGE[:6]) == {"a", "b"}
    assert found(commune_code=f"{VILLAGE[:6]},{OTHER_VILLAGE[:6]}") == {"a", "b", "c"}
    assert found(commune_code="120101,110101", programme_id="scholarship") == {"c"}
    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    assert found(submitted_before=tomorrow) == {"a", "b", "c"}
    assert found(submitted_before=date(2000, 1, 1).isoformat()) == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("application_status", "submitted,,received"),
        ("application_status", "submitted,in_review"),
        ("application_status", ","),
        ("programme_id", "a,"),
        ("commune_code", ",".join(["010201"] * 101)),
        ("submitted_before", "2026-13-01"),
        ("submitted_before", "yesterday"),
        ("submitted_before", "2026-01-01T00:00:00Z"),
        ("submitted_before", "２０２６-01-01"),
        ("submitted_before", "20260101"),
    ],
)
def test_bad_filter_values_are_422(http, credentials, name, value):
    headers = actor_headers(token_for(http, credentials))
    response = http.get("/data/applications/1.0", params={name: value}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == name
