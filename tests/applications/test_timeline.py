"""Following an application: the list, the timeline with honest states, who
moved it (an office, never a username), payments only when recorded, an
answer to the office's question, withdrawing, and a refusal with how to
appeal."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from portal.notifications.messages import readable_reference
from tests.applications.conftest import (
    COMMUNE,
    FIRST_ROUND_TRIP_BYTES,
    TOKEN,
    Walker,
    by_reference,
    make_applicant,
    move,
    page_text,
    post,
    signed_in,
    sms_about,
    text,
    today,
    verified_card,
)
from tests.applications.test_asking import date_parts

NSAF = "National Social Assistance Fund (NSAF)"


def applied(app, programme: str = "elderly_allowance", answers=None, **person):
    """A new applicant who applied through the pages: (applicant, walker, record)."""
    applicant = make_applicant(
        app, **{"birth_date": "1955-05-05", "card": verified_card(), **person}
    )
    walker = Walker(signed_in(app, applicant["phone"]))
    walker.apply(programme, answers)
    record = by_reference(app, applicant["person"]["spid"], walker.reference())
    return applicant, walker, record


@pytest.fixture(scope="module")
def followed(app):
    return applied(app)


def test_the_list_shows_each_application_with_its_state_and_reference(app, followed):
    _applicant, walker, record = followed
    page = walker.get("/applications")
    assert f'href="/applications/{record["reference"]}"' in text(page)
    words = page_text(page)
    assert "Family Package allowance for people aged 60 and over" in words
    assert readable_reference(record["reference"]) in words and "Sent" in words
    assert 'href="/applications/new"' in text(page)


def test_the_timeline_follows_the_application_to_its_payments(app, followed):
    _applicant, walker, record = followed
    path = f"/applications/{record['reference']}"
    page = page_text(walker.get(path))
    assert "What happened" in page and "By: You" in page
    assert "Still to come" in page
    assert page.index("Received by the commune office") > page.index("Still to come")
    assert "Withdraw this application" in page

    move(app, record, "received", actor=COMMUNE)
    move(app, record, "documents_checked", actor=COMMUNE)
    move(app, record, "approved")
    page = page_text(walker.get(path))
    assert "By: Your commune office" in page
    assert f"By: {NSAF}" in page
    assert "Approved does not mean paid yet" in page
    assert "Payments" not in page and "riel" not in page  # approved is never paid
    assert "Withdraw this application" not in page

    payment = {
        "id": str(uuid.uuid4()),
        "paid_on": "2026-11-05",
        "period": "2026-10",
        "amount_riel": 40000,
        "provider_reference": None,
    }
    move(app, record, "enrolled", fields={"payments": [payment]})
    page = page_text(walker.get(path))
    assert "Enrolled in the programme" in page
    assert "5 November 2026" in page and "October 2026" in page and "40,000 riel" in page
    assert "Still to come" not in page

    khmer = text(walker.client.get(f"{path}?lang=km"))
    assert "៤០,០០០" in khmer and "40,000" not in khmer  # the amount in Khmer digits
    assert "២០២៦" in khmer  # dates in Khmer digits
    assert walker.heaviest <= FIRST_ROUND_TRIP_BYTES, walker.weights
    walker.client.get("/applications?lang=en")


def test_an_answer_to_the_office_goes_back_to_it(app):
    applicant, walker, record = applied(app)
    move(
        app, record, "information_requested", reason="information_needed", note="Bring your ID card"
    )
    path = f"/applications/{record['reference']}"
    page = page_text(walker.get(path))
    assert "What the office asks" in page and "Bring your ID card" in page
    answer = f"{path}/answer"
    before = len(sms_about(app, applicant["phone"], record["reference"]))
    for hostile in ("a\x00b", "x" * 5000, ""):
        response = walker.client.post(
            answer, data={"csrf_token": _token(walker, path), "text": hostile}
        )
        assert response.status_code == 400, hostile[:10]
    response = walker.client.post(
        answer, data={"csrf_token": _token(walker, path), "text": "I will bring it on Monday"}
    )
    assert response.status_code == 302 and response.location == path
    now = by_reference(app, applicant["person"]["spid"], record["reference"])
    assert now["status"] == "received"
    given = [e for e in now.get("events", []) if e["kind"] == "information_given"]
    assert [e["note"] for e in given] == ["I will bring it on Monday"]
    page = page_text(walker.client.get(path))
    assert "Your answer was sent to the office." in page
    assert "Your answer: I will bring it on Monday" in page
    assert "What the office asks" not in page
    # One text message for the new state (in Khmer: the person chose no language).
    assert len(sms_about(app, applicant["phone"], record["reference"])) == before + 1


def _token(walker, path: str) -> str:
    return TOKEN.search(text(walker.client.get(path))).group(1)


def test_an_application_can_be_withdrawn_before_a_decision(app):
    applicant, walker, record = applied(app)
    path = f"/applications/{record['reference']}"
    confirm = walker.get(f"{path}/withdraw")
    assert confirm.status_code == 200 and "Withdraw this application?" in page_text(confirm)
    response = post(walker.client, f"{path}/withdraw")
    assert response.location == path
    assert (
        by_reference(app, applicant["person"]["spid"], record["reference"])["status"] == "withdrawn"
    )
    page = page_text(walker.client.get(path))
    assert "Your application was withdrawn." in page
    assert "Withdraw this application" not in page and "Still to come" not in page
    # Withdrawn, the programme can be applied for again.
    assert walker.client.get("/applications/new/elderly_allowance").status_code == 200


def test_a_refusal_says_why_and_how_to_appeal(app):
    _applicant, walker, record = applied(app)
    move(app, record, "received", actor=COMMUNE)
    move(app, record, "documents_checked", actor=COMMUNE)
    move(app, record, "refused", reason="documents_missing", note="No birth certificate")
    page = page_text(walker.get(f"/applications/{record['reference']}"))
    assert "Not approved" in page
    assert "Reason: The documents needed were not brought in time." in page
    assert "Note from the office: No birth certificate" in page
    by = today() + dt.timedelta(days=30)
    assert f"by {by.day} {by.strftime('%B')} {by.year}" in page
    assert "Withdraw this application" not in page


def test_the_idpoor_assessment_is_routed_to_the_commune(app):
    _applicant, walker, record = applied(app, "idpoor_assessment", card=None)
    assert walker.questions == []
    assert record["programme_id"] == "idpoor_assessment"
    assert record["commune_code"] == "010201"
    assert record["eligibility"] is None and record["facts"] == {}
    page = page_text(walker.get(f"/applications/{record['reference']}"))
    assert "On-demand IDPoor assessment" in page


def test_a_scholarship_asks_the_school(app):
    pupil_answers = {
        "school-name": {"school_name": "  Hun Sen Ou Thum Primary School  "},
        "school": {"answer": "9"},
        "school-days": {"answer": "៩"},
    }
    _applicant, walker, record = applied(
        app, "scholarship", pupil_answers, birth_date="2011-02-02", card=verified_card()
    )
    assert walker.questions == ["school-name", "school", "school-days"]
    assert record["answers"] == {"school_name": "Hun Sen Ou Thum Primary School"}
    assert record["facts"]["person"] == {"school_grade": 9, "school_attendance_percent": 90}
    assert record["eligibility"]["status"] == "eligible"


def test_the_pregnancy_asked_again_keeps_its_date(app):
    expected = today() + dt.timedelta(days=90)
    applicant = make_applicant(app, birth_date="1998-01-01", card=verified_card())
    walker = Walker(signed_in(app, applicant["phone"]))
    check = walker.answer_all(
        "pregnancy_child_cash",
        {"for-whom": {"for_whom": "pregnant"}, "expected-delivery-date": date_parts(expected)},
    )
    page = text(walker.client.get(check.replace("/check", "/q/expected-delivery-date")))
    assert f'value="{expected.day}"' in page and f'value="{expected.year}"' in page
