"""DCI notifications over real HTTP: an operator subscribed to registry events
for its area gets each matching event at its loopback receiver, as the
official schemas describe it, with retries; it can end only its own
subscriptions. Subscribe and unsubscribe requests themselves:
test_dci_subscribe_requests.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.registry.change_request_helpers import approve, family, submit
from tests.registry.dci_subscription_support import (
    SEARCH_ONLY_FIELDS,
    contract_problems,
    criteria,
    deliver,
    in_province,
    records_of,
    register,
)
from tests.registry.factories import OTHER_VILLAGE, VILLAGE, household_content


def test_an_operator_is_notified_of_each_registration_in_its_province_and_of_no_other(
    operators, inprocess, actor, http
):
    operator = operators()
    code = operator.code(criteria("REGISTER"))
    here = register(inprocess, actor)
    register(inprocess, actor, village=VILLAGE)  # Banteay Meanchey
    (notification,) = operator.notifications()
    assert notification["header"]["action"] == "notify"
    assert notification["header"]["receiver_id"] == "operator.example.org"
    assert notification["message"]["transaction_id"] == code
    (event_,) = notification["message"]["notify_event"]
    assert event_["data"]["reg_record_type"] == "Person"
    record = event_["data"]["reg_records"]
    assert record["spid"] == here["spid"] and record["name"] == here["name"]
    assert record["identifier"][0] == {"identifier_type": "SPID", "identifier_value": here["spid"]}
    # The person can see that the operator got their record, and why.
    log = inprocess.persons.access_log(here["id"], actor=actor).entries
    sent = [entry for entry in log if entry.client_id == operator.client_id]
    assert [(e.action, e.actor, e.purpose) for e in sent] == [
        ("read", f"client:{operator.client_id}", "subscription")
    ]


def test_a_search_only_operator_is_sent_only_what_finds_the_record(operators, inprocess, actor):
    operator = operators(scopes=("registry.search",))
    operator.code(criteria("REGISTER"))
    here = register(inprocess, actor)
    (record,) = records_of(operator.notifications())
    assert set(record) == SEARCH_ONLY_FIELDS and record["spid"] == here["spid"]
    assert contract_problems("SearchOnlyMember", record) == []
    log = inprocess.persons.access_log(here["id"], actor=actor).entries
    assert [e.action for e in log if e.client_id == operator.client_id] == ["search"]


def test_household_events_send_the_household(operators, inprocess, actor):
    operator = operators()
    joined, changed = operator.subscribe(
        criteria("NewHouseHoldMember"), criteria("HOUSEHOLD_CHANGED")
    )
    codes = {
        "NewHouseHoldMember": joined["subscriptions"][0]["code"],
        "HOUSEHOLD_CHANGED": changed["subscriptions"][0]["code"],
    }
    head, child = register(inprocess, actor), register(inprocess, actor)
    elsewhere = register(inprocess, actor, village=VILLAGE)
    operator.receiver.clear()
    household = inprocess.households.create(
        household_content([(head["spid"], "head")], address={"village_code": OTHER_VILLAGE}),
        actor=actor,
    )

    def events() -> dict[str, dict]:
        delivered = operator.notifications()
        operator.receiver.clear()
        return {n["message"]["transaction_id"]: n for n in delivered}

    created = events()
    assert set(created) == set(codes.values())  # created: both events
    group = created[codes["NewHouseHoldMember"]]["message"]["notify_event"][0]["data"]
    assert group["reg_record_type"] == "Group"
    assert group["reg_records"]["id"] == household["id"]
    (member,) = group["reg_records"]["member_list"]
    assert member["member_identifier"][0]["identifier_value"] == head["spid"]
    assert member["demographic_info"]["person"]["name"] == head["name"]

    inprocess.households.update(household["id"], {"idpoor": None}, actor=actor)
    assert set(events()) == {codes["HOUSEHOLD_CHANGED"]}  # changed, no one joined

    members = [(head["spid"], "head"), (child["spid"], "child")]
    changes = {"members": [{"spid": s, "household_status": r} for s, r in members]}
    inprocess.households.update(household["id"], changes, actor=actor)
    assert set(events()) == set(codes.values())  # someone joined

    # A household whose members all live elsewhere is not this operator's.
    inprocess.households.create(household_content([(elsewhere["spid"], "head")]), actor=actor)
    assert events() == {}


def test_a_recorded_death_is_notified(operators, inprocess, actor):
    operator = operators()
    code = operator.code(criteria("DEATH"))
    person, other = register(inprocess, actor), register(inprocess, actor)
    inprocess.persons.update(other["id"], {"status": "inactive"}, actor=actor, reason="moved")
    inprocess.persons.update(person["id"], {"status": "inactive"}, actor=actor, reason="death")
    (notification,) = operator.notifications()
    assert notification["message"]["transaction_id"] == code
    (record,) = records_of([notification])
    assert record["spid"] == person["spid"] and record["status"] == "inactive"


def test_an_approved_death_report_notifies_the_death_and_the_household_change(
    operators, inprocess, actor
):
    operator = operators()
    province = in_province(VILLAGE[:2])  # where the change-request families live
    died_code = operator.code(criteria("DEATH", province))
    changed_code = operator.code(criteria("HOUSEHOLD_CHANGED", province))
    household, (head, spouse, _child) = family(inprocess, actor)
    operator.notifications()
    operator.receiver.clear()
    approve(inprocess, submit(inprocess, actor, head["spid"], "death", member_spid=spouse["spid"]))
    sent = {n["message"]["transaction_id"]: n for n in operator.notifications()}
    assert set(sent) == {died_code, changed_code}
    (died,) = records_of([sent[died_code]])
    assert died["spid"] == spouse["spid"] and died["status"] == "inactive"
    (changed,) = records_of([sent[changed_code]])
    assert changed["id"] == household["id"]
    assert spouse["spid"] not in {m["spid"] for m in changed["members"]}


def test_a_notification_is_retried_until_the_receiver_takes_it(operators, inprocess, actor):
    operator = operators()
    operator.code(criteria("REGISTER"))
    here = register(inprocess, actor)
    operator.receiver.fail_next(2)
    start = datetime.now(UTC)
    deliver(operator.app, at=start)
    deliver(operator.app, at=start + timedelta(seconds=30))
    assert operator.receiver.delivered("/registry/notify") == []
    deliver(operator.app, at=start + timedelta(minutes=5))
    tries = operator.receiver.received("/registry/notify")
    assert len(tries) == 3
    assert [(m["header"], m["message"]) for m in tries] == [
        (tries[0]["header"], tries[0]["message"])
    ] * 3
    (record,) = records_of(operator.receiver.delivered("/registry/notify"))
    assert record["spid"] == here["spid"]
    deliver(operator.app, at=start + timedelta(hours=2))
    assert len(operator.receiver.received("/registry/notify")) == 3  # delivered once


# Unsubscribing.


def test_after_unsubscribing_nothing_more_is_sent(operators, inprocess, actor):
    operator = operators()
    code = operator.code(criteria("REGISTER"))
    answer = operator.unsubscribe([code])
    assert answer["status"] == "succ"
    assert answer["subscription_status"] == [{"code": code, "status": "unsubscribe"}]
    register(inprocess, actor)
    assert operator.notifications() == []
    again = operator.unsubscribe([code], official_spelling=True)
    assert again["status"] == "rjct"
    assert again["status_reason_code"] == "rjct.event.already_unsubscribed"


def test_another_client_cannot_end_a_subscription(operators, inprocess, actor, receiver):
    owner, intruder = operators(), operators()
    code = owner.code(criteria("REGISTER"))
    own = intruder.code(criteria("REGISTER", in_province("17")))
    for codes in ([code], [own, code]):
        answer = intruder.unsubscribe(codes)
        assert answer["status"] == "rjct"
        assert answer["status_reason_code"] == "rjct.subscription_code.invalid"
        assert code not in str(answer["subscription_status"])  # never shown
    assert intruder.unsubscribe([own])["status"] == "succ"  # it was not ended before
    register(inprocess, actor)
    assert [n["message"]["transaction_id"] for n in owner.notifications()] == [code]


# What is refused.
