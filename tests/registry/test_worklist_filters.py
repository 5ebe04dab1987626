"""The work-list filters of the registry: change requests by the commune their
person lives in and by type (and several statuses), grievances and
applications by who created them, the count alone (pageSize=0, nothing read,
nothing logged), and what some actors did (GET /data/activity/1.0). Through
the client and raw HTTP, against the reference registry; responses are
checked against the contract."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from portal.registry.client import Actor, RegistryValidationError
from portal.registry.server.contract import schema_validator
from tests.registry.change_request_helpers import approve, family, review, submit
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import (
    OTHER_VILLAGE,
    VILLAGE,
    new_id,
    new_phone,
    person_content,
)
from tests.registry.test_grievance_cases import case

COMMUNE, OTHER_COMMUNE = VILLAGE[:6], OTHER_VILLAGE[:6]


def unique_actor(prefix: str = "officer") -> str:
    return f"{prefix}:t{uuid.uuid4().hex[:10]}"


def ids(page) -> set[str]:
    return {record["id"] for record in page.results}


def test_change_requests_by_the_commune_their_person_lives_in(registry, actor):
    _household, (here, *_rest) = family(registry, actor)
    far = registry.persons.create(
        person_content(address={"village_code": OTHER_VILLAGE}), actor=actor
    )
    near_request = submit(
        registry,
        actor,
        here["spid"],
        "phone_number",
        proposed_changes={"phone_number": [new_phone()]},
    )
    far_request = submit(
        registry,
        actor,
        far["spid"],
        "phone_number",
        proposed_changes={"phone_number": [new_phone()]},
    )

    def listed(**filters) -> set[str]:
        found = registry.change_requests.list(actor=actor, page_size=100, **filters)
        return ids(found) & {near_request["id"], far_request["id"]}

    assert listed(commune_code=COMMUNE, person_spid=here["spid"]) == {near_request["id"]}
    assert listed(commune_code=COMMUNE, person_spid=far["spid"]) == set()
    assert listed(commune_code=f"{OTHER_COMMUNE},{COMMUNE}", person_spid=far["spid"]) == {
        far_request["id"]
    }
    # Every request listed for a commune is about someone who lives there.
    page = registry.change_requests.list(actor=actor, page_size=100, commune_code=OTHER_COMMUNE)
    spids = {request["person_spid"] for request in page.results}
    for spid in spids:
        person = registry.persons.read_by_spid(spid, actor=actor)
        assert person["address"]["village_code"].startswith(OTHER_COMMUNE)


def test_change_requests_by_type_and_several_statuses(registry, actor):
    _household, (head, spouse, _child) = family(registry, actor)
    phone = submit(
        registry,
        actor,
        spouse["spid"],
        "phone_number",
        proposed_changes={"phone_number": [new_phone()]},
    )
    claim = submit(
        registry,
        actor,
        spouse["spid"],
        "link_phone",
        proposed_changes={"phone_number": [new_phone()]},
    )
    reviewed = submit(
        registry,
        actor,
        spouse["spid"],
        "link_phone",
        proposed_changes={"phone_number": [new_phone()]},
    )
    review(registry, reviewed)
    done = submit(
        registry,
        actor,
        spouse["spid"],
        "link_phone",
        proposed_changes={"phone_number": [new_phone()]},
    )
    approve(registry, done)

    def listed(**filters) -> set[str]:
        return ids(
            registry.change_requests.list(
                actor=actor, page_size=100, person_spid=spouse["spid"], **filters
            )
        )

    assert listed(request_type="link_phone") == {claim["id"], reviewed["id"], done["id"]}
    assert listed(request_type="link_phone,phone_number", request_status="submitted") == {
        phone["id"],
        claim["id"],
    }
    assert listed(request_status="submitted,in_review") == {
        phone["id"],
        claim["id"],
        reviewed["id"],
    }
    assert listed(request_status="approved") == {done["id"]}
    assert head["spid"] != spouse["spid"]


@pytest.mark.parametrize(
    "filters",
    [
        {"request_type": "haircut"},
        {"request_type": "name,"},
        {"request_status": "submitted,lost"},
        {"request_status": ",".join(["submitted"] * 101)},
        {"commune_code": ",".join(["120101"] * 101)},
    ],
)
def test_bad_change_request_filters_are_refused(registry, actor, filters):
    with pytest.raises(RegistryValidationError) as refused:
        registry.change_requests.list(actor=actor, **filters)
    assert refused.value.field_errors.keys() == filters.keys()


def test_grievances_and_applications_by_who_created_them(registry, actor):
    officer, other = unique_actor(), unique_actor()
    at_office = Actor(actor=f"{officer}@{COMMUNE}", purpose="grievance", on_behalf_of="x")
    elsewhere = Actor(actor=f"{officer}@{OTHER_COMMUNE}", purpose="grievance")
    someone = Actor(actor=other, purpose="grievance")
    mine = registry.grievances.create(case(), actor=at_office)
    also_mine = registry.grievances.create(case(), actor=elsewhere)
    registry.grievances.create(case(), actor=someone)

    found = registry.grievances.list(
        actor=actor, created_by=f"{officer}@{COMMUNE},{officer}@{OTHER_COMMUNE}", page_size=100
    )
    assert ids(found) == {mine["id"], also_mine["id"]} and found.count == 2
    assert ids(registry.grievances.list(actor=actor, created_by=f"{officer}@{COMMUNE}")) == {
        mine["id"]
    }
    assert registry.grievances.list(actor=actor, created_by=officer).count == 0

    person = registry.persons.create(person_content(), actor=actor)
    application = registry.applications.create(
        {
            "id": new_id(),
            "programme_id": "family-package",
            "applicant_spid": person["spid"],
            "channel": "officer",
        },
        actor=at_office,
    )
    registry.applications.create(
        {
            "id": new_id(),
            "programme_id": "family-package",
            "applicant_spid": person["spid"],
            "channel": "web",
        },
        actor=someone,
    )
    found = registry.applications.list(actor=actor, created_by=f"{officer}@{COMMUNE}")
    assert ids(found) == {application["id"]}


def test_page_size_zero_counts_without_reading_anyone(registry, actor):
    officer = unique_actor()
    creator = Actor(actor=officer, purpose="grievance")
    person = registry.persons.create(person_content(), actor=actor)
    for _ in range(3):
        registry.grievances.create(
            case(complainant={"anonymous": False, "spid": person["spid"]}), actor=creator
        )
    before = registry.persons.access_log(person["id"], actor=actor).count
    counted = registry.grievances.list(actor=actor, created_by=officer, page_size=0)
    assert (counted.count, counted.results, counted.next, counted.previous) == (3, [], None, None)
    assert registry.persons.access_log(person["id"], actor=actor).count == before
    listed = registry.grievances.list(actor=actor, created_by=officer, page_size=1)
    assert listed.count == 3 and len(listed.results) == 1 and listed.next
    assert registry.persons.access_log(person["id"], actor=actor).count == before + 1


# The activity of some actors


def test_what_an_officer_did_newest_first_with_the_person_and_channel(registry, actor):
    username = unique_actor()
    plain = Actor(actor=username, purpose="change request review")
    assisted = Actor(
        actor=f"{username}@{COMMUNE}", purpose="walk-in help", on_behalf_of=None, channel="officer"
    )
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    _household, (head, *_rest) = family(registry, actor)
    registry.persons.read(head["id"], actor=assisted)
    request = submit(
        registry,
        Actor(
            actor=f"{username}@{COMMUNE}",
            purpose="change request",
            on_behalf_of=head["spid"],
            channel="officer",
        ),
        head["spid"],
        "phone_number",
        proposed_changes={"phone_number": [new_phone()]},
    )
    registry.change_requests.update(request["id"], {"status": "in_review"}, actor=plain)
    registry.persons.read(head["id"], actor=Actor(actor=unique_actor(), purpose="someone else"))

    entries = registry.activity.of([username, f"{username}@{COMMUNE}"], actor=actor, since=started)
    moments = [entry["at"] for entry in entries]
    assert moments == sorted(moments, reverse=True)
    history = [e for e in entries if e["source"] == "history"]
    assert [(e["record_type"], e["from_status"], e["to_status"], e["actor"]) for e in history] == [
        ("change-requests", "submitted", "in_review", username),
        ("change-requests", None, "submitted", f"{username}@{COMMUNE}"),
    ]
    assert history[0]["record_id"] == request["id"] and history[0]["kind"] == "status_change"
    created = history[1]
    assert created["on_behalf_of"] == head["spid"] and created["channel"] == "officer"
    reads = [e for e in entries if e["source"] == "access_log" and e["action"] == "read"]
    assert len(reads) == 1
    read = reads[0]
    assert read["person_spid"] == head["spid"] and read["purpose"] == "walk-in help"
    assert read["channel"] == "officer" and read["record_type"] is None
    assert {e["actor"] for e in entries} == {username, f"{username}@{COMMUNE}"}

    assert registry.activity.of([username], actor=actor, since=started, limit=1) == entries[:1]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert registry.activity.of([username], actor=actor, since=later) == []
    assert registry.activity.of([unique_actor()], actor=actor) == []


def test_the_activity_answer_follows_the_contract(http, credentials, registry, actor):
    username = unique_actor()
    registry.persons.create(person_content(), actor=Actor(actor=username, purpose="registration"))
    headers = actor_headers(token_for(http, credentials))
    answer = http.get(
        "/data/activity/1.0",
        params={"actor": f"{username},{username}@{COMMUNE}", "since": "2020-01-01T07:00:00+07:00"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    schema_validator("Activity").validate(answer.json())
    entries = answer.json()["entries"]
    assert sorted(e["source"] for e in entries) == ["access_log", "history"]
    assert {e["actor"] for e in entries} == {username}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "actor"),
        ({"actor": ""}, "actor"),
        ({"actor": "a,,b"}, "actor"),
        ({"actor": "a\x00"}, "actor"),
        ({"actor": ",".join(["a"] * 101)}, "actor"),
        ({"actor": "a" * 201}, "actor"),
        ({"actor": "a", "since": "2026-05-01"}, "since"),
        ({"actor": "a", "since": "2026-05-01T00:00:00"}, "since"),
        ({"actor": "a", "since": "yesterday at noon, more or less"}, "since"),
        ({"actor": "a", "since": "0001-01-01T00:00:00+01:00"}, "since"),
        ({"actor": "a", "limit": "0"}, "limit"),
        ({"actor": "a", "limit": "201"}, "limit"),
        ({"actor": "a", "limit": "9" * 40}, "limit"),
    ],
)
def test_bad_activity_queries_are_422(http, credentials, params, field):
    headers = actor_headers(token_for(http, credentials))
    answer = http.get("/data/activity/1.0", params=params, headers=headers)
    assert answer.status_code == 422, answer.text
    schema_validator("Error").validate(answer.json())
    assert answer.json()["errors"][0]["field"] == field


def test_the_activity_needs_the_read_scope_and_the_actor_headers(http, credentials):
    search_only = token_for(http, credentials, "registry.search")
    refused = http.get(
        "/data/activity/1.0", params={"actor": "a"}, headers=actor_headers(search_only)
    )
    assert refused.status_code == 403
    token = token_for(http, credentials)
    anonymous = http.get(
        "/data/activity/1.0", params={"actor": "a"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert anonymous.status_code == 400
    assert http.get("/data/activity/1.0", params={"actor": "a"}).status_code == 401


def test_an_approval_and_its_effects_are_the_approvers_activity(registry, actor):
    """The approval's own writes (the person changed) are the approver's too."""
    _household, (_head, spouse, _child) = family(registry, actor)
    approver = Actor(actor=unique_actor(), purpose="change request review")
    request = submit(
        registry,
        actor,
        spouse["spid"],
        "phone_number",
        proposed_changes={"phone_number": [new_phone()]},
    )
    registry.change_requests.update(request["id"], {"status": "in_review"}, actor=approver)
    registry.change_requests.update(request["id"], {"status": "approved"}, actor=approver)
    entries = registry.activity.of([approver.actor], actor=actor)
    history = {(e["record_type"], e["to_status"]) for e in entries if e["source"] == "history"}
    assert ("change-requests", "approved") in history
    updates = [e for e in entries if e["source"] == "access_log" and e["action"] == "update"]
    assert {e["person_spid"] for e in updates} == {spouse["spid"]}
