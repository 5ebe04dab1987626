"""Once-only: a registered citizen aged 60 or over, in a household with a
verified Equity Card still valid, applies for the elderly allowance and is
asked nothing the registry knows; the application reaches the registry with
the facts used, the eligibility worked out, and a text message receipt."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.applications.conftest import (
    FIRST_ROUND_TRIP_BYTES,
    TOKEN,
    Walker,
    applications_of,
    by_reference,
    make_applicant,
    page_text,
    signed_in,
    sms_about,
    text,
    today,
    verified_card,
)

# Questions whose answers the registry holds for this person.
KNOWN_TO_THE_REGISTRY = {"birth-date", "sex", "equity-card", "equity-card-end"}


@pytest.fixture(scope="module")
def elder(app):
    return make_applicant(app, birth_date="1956-02-10", sex="male", card=verified_card(level=2))


@pytest.fixture(scope="module")
def walker(app, elder):
    return Walker(signed_in(app, elder["phone"]))


@pytest.fixture(scope="module")
def sent(app, elder, walker):
    """The application, sent through the pages."""
    walker.apply("elderly_allowance")
    return walker.reference()


def test_nothing_the_registry_knows_is_asked(sent, walker):
    asked = set(walker.questions)
    assert not asked & KNOWN_TO_THE_REGISTRY, asked
    assert walker.questions == []  # the registry has everything this programme needs


def test_the_start_page_shows_what_the_registry_knows_and_the_result(app, elder, walker, sent):
    # A new draft can be started only after the first one is sent: see the duplicate test.
    page = page_text(walker.client.get("/applications/new/disability_allowance"))
    assert "What the registry knows about you" in page
    assert "ចាន់ សុខា" in page  # the name, from the registry
    assert "Level 2, valid until" in page
    assert "Date of birth" in page and "10 February 1956" in page


def test_the_check_page_separates_the_registry_from_the_answers(app, elder):
    client = signed_in(
        app, make_applicant(app, birth_date="1950-01-01", card=verified_card())["phone"]
    )
    walker = Walker(client)
    check = walker.answer_all("elderly_allowance", {})
    page = page_text(walker.get(check))
    assert "From the registry" in page and "It cannot be changed here" in page
    assert "No question was needed" in page
    assert "You can probably get it" in page
    assert "You are 60 years old or older." in page
    due = today() + dt.timedelta(days=30)
    assert f"Bring them by {due.day} {due.strftime('%B')} {due.year}" in page
    assert walker.heaviest <= FIRST_ROUND_TRIP_BYTES, walker.weights


def test_the_application_reaches_the_registry_with_what_it_used(app, elder, sent):
    record = by_reference(app, elder["person"]["spid"], sent)
    assert record["programme_id"] == "elderly_allowance"
    assert record["status"] == "submitted"
    assert record["channel"] == "web"
    assert record["household_id"] == elder["household"]["id"]
    assert record["commune_code"] == "010201"  # from the person's village
    assert record["facts"]["person"] == {"birth_date": "1956-02-10"}
    assert record["facts"]["household"]["idpoor_level"] == 2
    assert record["facts"]["household"]["idpoor_verified"] is True
    assert record["answers"] == {}
    eligibility = record["eligibility"]
    assert eligibility["status"] == "eligible"
    assert eligibility["evaluated_on"] == today().isoformat()
    codes = {reason["code"] for reason in eligibility["reasons"]}
    assert "age_60_or_over_met" in codes
    # The reasons as a Khmer reader was shown them.
    assert all(any("\u1780" <= c <= "\u17ff" for c in r["text"]) for r in eligibility["reasons"])
    due = today() + dt.timedelta(days=30)
    assert record["documents_due_by"] == due.isoformat()
    year = dt.datetime.now(dt.UTC).year
    assert sent.startswith(f"AP-{year}-") or sent.startswith(f"AP-{year + 1}-")


def test_the_confirmation_gives_the_reference_and_a_text_message(app, elder, walker, sent):
    page = page_text(walker.client.get("/applications/sent"))
    assert f"{sent[:11]} {sent[11:]}" in page  # grouped for reading aloud
    assert "We sent you a text message with the reference number" in page
    assert "What happens next" in page
    assert len(sms_about(app, elder["phone"], sent)) == 1


def test_sending_twice_makes_one_application(app):
    twice = make_applicant(app, birth_date="1952-07-07", card=verified_card())
    walker = Walker(signed_in(app, twice["phone"]))
    check = walker.answer_all("elderly_allowance", {})
    form = {"csrf_token": TOKEN.search(text(walker.client.get(check))).group(1)}
    first = walker.client.post(check, data=form)
    again = walker.client.post(check, data=form)  # a second tap on "send"
    assert first.location == again.location == "/applications/sent"
    assert len(applications_of(app, twice["person"]["spid"])) == 1


def test_a_second_open_application_is_refused_with_a_link_to_the_first(app, walker, sent):
    response = walker.client.get("/applications/new/elderly_allowance")
    assert response.status_code == 409
    assert f'href="/applications/{sent}"' in text(response)
    assert "You have already applied" in page_text(response)


def test_every_page_is_within_one_round_trip(walker, sent):
    pages = ["/applications/sent", f"/applications/{sent}", "/applications", "/applications/new"]
    for language in ("km", "en"):  # Khmer pages are the heavier
        for path in pages:
            walker.get(f"{path}?lang={language}")
    assert walker.heaviest <= FIRST_ROUND_TRIP_BYTES, walker.weights
