"""A registration sent while the registry does not answer is accepted through
the outbox; the worker delivers it later, the person gets their SPID by text
message, and the portal then shows the same SPID."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from unittest import mock

import circuitbreaker
import time_machine

from portal.khmer import to_ascii_digits
from portal.outbox.worker import Worker
from portal.registry_access import registry as registry_client
from tests.accounts.conftest import TEST_ACTOR, TOKEN
from tests.registration.conftest import MEMBERS, NEW_PHONE, Visitor, answer_about_me
from tests.registry.factories import person_content

CODE = re.compile(r"\b(\d{6})\b")
SPID_IN_TEXT = re.compile(r"\b(\d{3} \d{3} \d{3} \d{2})\b")


@contextlib.contextmanager
def minutes_later(minutes: float):
    """Move the clock on: the outbox's pauses and the circuit breaker's rest
    (which keeps its own monotonic time) both pass."""
    seconds = minutes * 60
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    with (
        time_machine.travel(moment, tick=True),
        mock.patch.object(circuitbreaker, "monotonic", lambda: time.monotonic() + seconds),
    ):
        yield


def sign_in_with_provider(client, provider) -> None:
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login", data={"csrf_token": TOKEN.search(page).group(1), "phone_number": NEW_PHONE}
    )
    code = CODE.search(provider.received[-1]["text"]).group(1)
    page = client.get("/login/verify").get_data(as_text=True)
    client.post("/login/verify", data={"csrf_token": TOKEN.search(page).group(1), "code": code})


def test_a_registration_during_an_outage_is_kept_and_its_spid_comes_later(
    portal_app, switchable, provider
):
    registry, _ = switchable
    client = portal_app.test_client()
    sign_in_with_provider(client, provider)
    visitor = Visitor(client)
    answer_about_me(visitor)
    for member in MEMBERS:
        visitor.send("/register/household/member", member)
    visitor.send("/register/household", {})
    visitor.send("/register/q/equity-card", {"level": "none"})
    visitor.send("/register/consent", {"agree": "y"})

    registry.down = True
    sent = visitor.send("/register/check", {})
    assert sent.location.endswith("/register/done")
    waiting = client.get("/register/done").get_data(as_text=True)
    reference = re.search(r'class="ref">([^<]+)<', waiting).group(1)
    assert "RG-" in reference
    assert "SMS" in waiting or "សារ" in waiting
    assert 'class="ref spid"' not in waiting
    assert any(to_ascii_digits(reference) in m["text"].replace(" ", "") for m in provider.received)

    registry.down = False
    with minutes_later(2):
        assert Worker(portal_app, lease=30).work_until_empty() >= 1

    texts = [m["text"] for m in provider.received]
    spid_texts = [t for t in texts if SPID_IN_TEXT.search(t)]
    assert len(spid_texts) == 1
    spid = SPID_IN_TEXT.search(spid_texts[0]).group(1)
    with minutes_later(2):
        done = client.get("/register/done").get_data(as_text=True)
    shown = re.search(r'class="ref spid">([^<]+)<', done).group(1)
    assert to_ascii_digits(shown) == spid


def test_a_delayed_registration_the_registry_then_refuses_is_not_hidden(
    portal_app, switchable, provider
):
    registry, _ = switchable
    client = portal_app.test_client()
    sign_in_with_provider(client, provider)
    visitor = Visitor(client)
    answer_about_me(visitor, national_id="111 222 333")
    visitor.send("/register/household", {})
    visitor.send("/register/q/equity-card", {"level": "none"})
    visitor.send("/register/consent", {"agree": "y"})
    registry.down = True
    visitor.send("/register/check", {})

    registry.down = False
    with minutes_later(2):
        with portal_app.app_context():  # meanwhile the commune office registered them
            registry_client(portal_app).persons.create(
                person_content(
                    identifier=[{"identifier_type": "NIN", "identifier_value": "111222333"}]
                ),
                actor=TEST_ACTOR,
            )
        Worker(portal_app, lease=30).work_until_empty()
        start = client.get("/register").get_data(as_text=True)

    assert "note-warning" in start
    assert "សាលាឃុំ-សង្កាត់" in start  # go to the commune office
