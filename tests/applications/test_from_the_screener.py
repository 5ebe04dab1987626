"""From the screener's results: "Apply" next to each programme that takes
applications here, where to apply for the others, and the IDPoor assessment
when the next steps ask for one; the screener's answers are used, not asked
again."""

from __future__ import annotations

import datetime as dt

from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.applications.conftest import (
    Walker,
    make_applicant,
    page_text,
    signed_in,
    text,
    today,
)
from tests.applications.test_asking import date_parts

NO_CARD_MOTHER = {
    "answers": {
        "person.birth_date": "1996-02-02",
        "person.sex": "female",
        "household.idpoor_level": None,
        "person.employment": "informal",
        "person.pregnant": True,
    },
    "unknown": [],
    "known": None,
}


def test_results_link_to_applying_here_and_to_the_idpoor_assessment(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["screener"] = NO_CARD_MOTHER
        session["lang"] = "en"
    page = client.get("/eligibility/results")
    markup = text(page)
    assert 'href="/applications/new/pregnancy_child_cash"' in markup
    assert 'href="/applications/new/idpoor_assessment"' in markup
    assert "Apply for an IDPoor assessment" in page_text(page)
    assert 'href="/applications/new/nssf_voluntary_health"' not in markup  # applied for elsewhere
    assert measure(client, "/eligibility/results").total <= FIRST_ROUND_TRIP_BYTES


def test_the_screeners_answers_are_used_when_applying(app):
    woman = make_applicant(app, birth_date="1996-02-02", card=None)
    client = signed_in(app, woman["phone"])
    with client.session_transaction() as session:
        session["screener"] = NO_CARD_MOTHER
    walker = Walker(client)
    check = walker.answer_all(
        "pregnancy_child_cash",
        {
            "for-whom": {"for_whom": "pregnant"},
            "expected-delivery-date": date_parts(today() + dt.timedelta(days=90)),
        },
    )
    # pregnant, the card and work: told to the screener, not asked again
    assert walker.questions == ["expected-delivery-date"]
    page = page_text(walker.get(check))
    assert "I am pregnant" in page  # the answer taken from the screener, changeable
    assert "It may be refused" in page
    assert "Your household has no IDPoor Equity Card of Level 1 or 2." in page
