"""X-Channel: how the person was served (web, officer, sms, call_centre), kept with
each access-log entry and history entry and returned with them."""

from __future__ import annotations

import pytest

from portal.registry.client import Actor, RegistryValidationError
from tests.registry.conftest import actor_headers, token_for
from tests.registry.factories import new_id, person_content

OFFICE = Actor(
    actor="officer:sok.dara@010201",
    purpose="walk-in help",
    on_behalf_of=None,
    channel="officer",
)


def consent_content(spid: str) -> dict:
    return {
        "id": new_id(),
        "individual_spid": spid,
        "purpose": "data_sharing",
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": "officer:sok.dara@010201",
        "collected_at": "2026-01-05T09:30:00+07:00",
    }


def test_the_access_log_says_through_which_channel(registry, actor):
    person = registry.persons.create(person_content(), actor=OFFICE)
    registry.persons.read(person["id"], actor=actor)
    log = registry.persons.access_log(person["id"], actor=actor)
    assert [(e.action, e.channel) for e in log.entries] == [("read", None), ("create", "officer")]


def test_history_entries_say_through_which_channel(registry, actor):
    person = registry.persons.create(person_content(), actor=actor)
    consent = registry.consents.create(consent_content(person["spid"]), actor=OFFICE)
    by_phone = Actor(actor="call_centre:mony", purpose="consent", channel="call_centre")
    withdrawn = registry.consents.withdraw(consent["id"], actor=by_phone)
    assert [(h["to_status"], h["actor"], h["channel"]) for h in withdrawn["history"]] == [
        ("given", "officer:sok.dara@010201", "officer"),
        ("withdrawn", "call_centre:mony", "call_centre"),
    ]
    plain = registry.consents.create(consent_content(person["spid"]), actor=actor)
    assert plain["history"][0]["channel"] is None


@pytest.mark.parametrize("channel", ["fax", "OFFICER", "officer,web", "web\tsms", "x" * 300])
def test_an_unknown_channel_is_refused(inprocess, actor, channel):
    content = person_content()
    odd = Actor(actor="officer:sok.dara", purpose="walk-in help", channel=channel)
    with pytest.raises(RegistryValidationError) as caught:
        inprocess.persons.create(content, actor=odd)
    assert (caught.value.status, caught.value.code) == (400, "err.actor.invalid")
    assert not inprocess.persons.exists(content["id"], actor=actor)  # nothing was written


def test_an_empty_channel_is_none(http, credentials, inprocess, actor):
    token = token_for(http, credentials)
    content = person_content()
    response = http.post(
        "/data/persons/1.0/create",
        json={"write": {"content": content}},
        headers={**actor_headers(token), "X-Channel": " "},
    )
    assert response.status_code == 201, response.text
    log = inprocess.persons.access_log(content["id"], actor=actor)
    assert [(e.action, e.channel) for e in log.entries] == [("create", None)]
