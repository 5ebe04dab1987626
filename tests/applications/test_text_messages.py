"""The text message of every application state and of a payment fits two SMS
parts in Khmer and English, carries the reference grouped for reading aloud,
and is Khmer on a Khmer record."""

from __future__ import annotations

import pytest

from portal.applications import notify, states
from portal.notifications.messages import parts
from tests.conftest import checked_app

KHMER = range(0x1780, 0x1800)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return checked_app(tmp_path_factory.mktemp("application-texts"))


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("state", list(states.WORDS))
def test_every_state_fits_two_parts(app, language, state):
    with app.app_context():
        text = notify.status_text("AP-2026-004217", state, language)
    assert parts(text) <= 2, text
    assert "AP-2026-004 217" in text
    assert any(ord(char) in KHMER for char in text) == (language == "km")


@pytest.mark.parametrize("language", ["km", "en"])
def test_the_largest_payment_fits_two_parts(app, language):
    with app.app_context():
        text = notify.payment_text("AP-2026-004217", 100_000_000, language)
    assert parts(text) <= 2, text
    assert "AP-2026-004 217" in text


def test_khmer_payment_text_has_the_amount_in_khmer_digits(app):
    with app.app_context():
        text = notify.payment_text("AP-2026-004217", 400_000, "km")
        english = notify.payment_text("AP-2026-004217", 400_000, "en")
    assert "៤០០" in text and "400" not in text.replace("AP-2026-004 217", "")
    assert "400,000" in english


def test_a_state_the_portal_does_not_know_is_sent_as_recorded(app):
    with app.app_context():
        text = notify.status_text("AP-2026-004217", "paused", "en")
    assert "paused" in text
