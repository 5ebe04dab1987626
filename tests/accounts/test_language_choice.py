"""A signed-in citizen's language choice is kept with their registry record,
and the text messages to them follow it."""

from __future__ import annotations

from sqlalchemy import func, select

from portal import outbox
from portal.database import db
from portal.notifications import messages
from portal.outbox.models import OutboxItem
from portal.registry_access import registry
from tests.accounts.conftest import (
    TEST_ACTOR,
    ask_for_code,
    enter_code,
    last_code,
    registered_person,
)


def record_of(app, person_id: str) -> dict:
    with app.app_context():
        return registry(app).persons.read(person_id, actor=TEST_ACTOR)


def outbox_items(app) -> int:
    with app.app_context(), db.session() as session:
        return session.scalar(select(func.count()).select_from(OutboxItem))


def test_the_language_a_citizen_picks_is_kept_with_their_record(app, client):
    person = registered_person(app, phone_number=["012 777 301"])
    ask_for_code(client, "012 777 301")
    enter_code(client, last_code(app))
    assert "preferred_language" not in record_of(app, person["id"])

    client.get("/?lang=en")
    record = record_of(app, person["id"])
    assert record["preferred_language"] == "en"
    with app.app_context():
        recipient = outbox.Recipient.of_person(record)
        assert recipient == outbox.Recipient("+85512777301", "en")
        text = messages.submission_received("REG-2026-000001", recipient.language)
    assert text.startswith("Social protection: we received")

    client.get("/eligibility?lang=en")  # the same choice again: nothing more to write
    assert outbox_items(app) == 1
    client.get("/?lang=km")
    assert record_of(app, person["id"])["preferred_language"] == "km"


def test_a_visitor_who_is_not_signed_in_changes_no_record(app, client):
    client.get("/?lang=en")
    assert outbox_items(app) == 0


def test_without_a_choice_messages_are_khmer():
    assert outbox.Recipient.of_person({"phone_number": ["+85512777302"]}).language == "km"
    assert outbox.Recipient.of_person({"phone_number": []}) is None
