"""Every text message fits two SMS parts (UCS-2 for Khmer) with realistic
values, is Khmer on a Khmer record and English on an English one, and keeps
the reference in Latin digits grouped for reading aloud."""

from __future__ import annotations

import pytest

from portal.notifications import messages
from portal.notifications.messages import parts, readable_reference
from tests.conftest import checked_app

KHMER = range(0x1780, 0x1800)
# The longest references the portal gives (grievance GR-2026-004217 style, and
# longer ones to be safe), and the longest status word in either language.
REFERENCES = ["GR-2026-004217", "APP-2026-1234567", "REG-2026-99999999"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return checked_app(tmp_path_factory.mktemp("texts"))


def every_text(reference: str, language: str) -> list[str]:
    texts = [
        messages.login_code("123456", language),
        messages.submission_received(reference, language),
        messages.submission_delivered(reference, language),
    ]
    for status in messages.STATUS_WORDS:
        texts.append(messages.status_changed(reference, status, language))
        texts.append(messages.status_changed(reference, status, language, on="2026-12-31"))
    return texts


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("reference", REFERENCES)
def test_every_message_fits_two_parts(app, language, reference):
    with app.app_context():
        texts = every_text(reference, language)
    for text in texts:
        assert parts(text) <= 2, text
        assert ("\u17d4" in text or any(ord(c) in KHMER for c in text)) == (language == "km")


def test_the_sign_in_code_fits_one_part(app):
    with app.app_context():
        for language in ("km", "en"):
            assert parts(messages.login_code("123456", language)) == 1


def test_khmer_messages_are_khmer_with_the_reference_in_latin_digits(app):
    with app.app_context():
        received = messages.submission_received("GR-2026-004217", "km")
        changed = messages.status_changed("GR-2026-004217", "approved", "km", on="2026-12-31")
    assert "GR-2026-004 217" in received and "យើងបានទទួល" in received
    assert "GR-2026-004 217" in changed and "បានយល់ព្រម" in changed
    assert "៣១" in changed and "២០២៦" in changed  # the date in Khmer digits
    english = None
    with app.app_context():
        english = messages.status_changed("GR-2026-004217", "approved", "en", on="2026-12-31")
    assert "31 December 2026" in english and "approved" in english


def test_parts_counts_as_phones_do():
    assert parts("a" * 160) == 1 and parts("a" * 161) == 2 and parts("a" * 306) == 2
    assert parts("ក" * 70) == 1 and parts("ក" * 71) == 2
    assert parts("ក" * 134) == 2 and parts("ក" * 135) == 3
    assert parts("{" * 80) == 1 and parts("{" * 81) == 2  # two septets each


def test_a_message_that_would_need_three_parts_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="at most 2"):
        messages.submission_received("REG-" + "9" * 120, "km")


def test_references_are_grouped_for_reading_aloud():
    assert readable_reference("GR-2026-004217") == "GR-2026-004 217"
    assert readable_reference("12345678901") == "123 456 789 01"
    assert readable_reference("GRV-7KQ4-M2XP") == "GRV-7KQ4-M2XP"
