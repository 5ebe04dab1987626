"""Every read of a person's data is in the access log the citizen can see."""

from __future__ import annotations

from portal.registry.client import Actor
from tests.registry.factories import household_content, new_id, person_content


def test_reads_searches_and_writes_appear_with_actor_and_purpose(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    officer = Actor(actor="staff:officer-7", purpose="walk-in-service", on_behalf_of=person["spid"])
    registry.persons.read(person["id"], actor=officer)
    registry.search.by_id("SPID", person["spid"], actor=officer)
    registry.persons.update(person["id"], {"marital_status": "single"}, actor=actor)

    log = registry.persons.access_log(person["id"], actor=actor)
    assert log.person_spid == person["spid"]
    assert [e.action for e in log.entries] == ["update", "search", "read", "create"]
    read = log.entries[2]
    assert read.actor == "staff:officer-7"
    assert read.purpose == "walk-in-service"
    assert read.on_behalf_of == person["spid"]
    assert read.client_id


def test_reading_the_log_is_not_itself_logged_and_other_people_stay_out(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    other = registry.persons.create(person_content(), actor=actor)
    registry.persons.read(other["id"], actor=actor)
    registry.persons.access_log(person["id"], actor=actor)
    log = registry.persons.access_log(person["id"], actor=actor)
    assert [e.action for e in log.entries] == ["create"]


def test_listing_persons_logs_each_person_listed(registry, actor):
    person = registry.persons.create(
        person_content(address={"village_code": "02010101"}), actor=actor
    )
    page = registry.persons.list(actor=actor, village_code="02010101", page_size=100)
    assert person["id"] in {p["id"] for p in page.results}
    log = registry.persons.access_log(person["id"], actor=actor)
    assert log.entries[0].action == "list"


def test_reads_of_records_about_a_person_are_in_their_log(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    application = registry.applications.create(
        {
            "id": new_id(),
            "programme_id": "family-package",
            "applicant_spid": person["spid"],
            "channel": "officer",
        },
        actor=actor,
    )
    household = registry.households.create(
        household_content([(person["spid"], "head")]), actor=actor
    )
    caseworker = Actor(actor="staff:caseworker", purpose="eligibility-review")
    registry.applications.read(application["id"], actor=caseworker)
    registry.households.read(household["id"], actor=caseworker)
    log = registry.persons.access_log(person["id"], actor=actor)
    latest = [(e.action, e.actor) for e in log.entries[:2]]
    assert latest == [("read", "staff:caseworker"), ("read", "staff:caseworker")]
    assert [e.action for e in log.entries[2:]] == ["create", "create", "create"]


def test_asking_whether_a_record_exists_is_logged_like_a_read(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    application = registry.applications.create(
        {
            "id": new_id(),
            "programme_id": "family-package",
            "applicant_spid": person["spid"],
            "channel": "web",
        },
        actor=actor,
    )
    checker = Actor(actor="staff:checker", purpose="duplicate-check")
    assert registry.persons.exists(person["id"], actor=checker)
    assert registry.applications.exists(application["id"], actor=checker)
    assert not registry.persons.exists(new_id(), actor=checker)
    log = registry.persons.access_log(person["id"], actor=actor)
    latest = [(e.action, e.actor, e.purpose) for e in log.entries[:2]]
    assert latest == [("read", "staff:checker", "duplicate-check")] * 2
