"""The questions an application asks: for whom (a pregnancy or a child of the
household under 2), the expected delivery date, then only the eligibility
facts the programme still lacks; answers kept, back links, the check page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.applications.conftest import (
    FIRST_ROUND_TRIP_BYTES,
    Walker,
    by_reference,
    make_applicant,
    page_text,
    post,
    signed_in,
    text,
    today,
    verified_card,
)

PREGNANCY = "pregnancy_child_cash"
FOR_WHOM = f"/applications/new/{PREGNANCY}/q/for-whom"
EXPECTED = f"/applications/new/{PREGNANCY}/q/expected-delivery-date"


def date_parts(day: dt.date, name: str = "expected_delivery_date") -> dict:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


@pytest.fixture(scope="module")
def mother(app):
    return make_applicant(app, birth_date="1997-05-01", card=verified_card())


@pytest.fixture(scope="module")
def mother_client(app, mother):
    return signed_in(app, mother["phone"])


def test_a_pregnancy_is_asked_for_whom_then_the_expected_date(app, mother, mother_client):
    walker = Walker(mother_client)
    expected = today() + dt.timedelta(days=120)
    check = walker.answer_all(
        PREGNANCY,
        {"for-whom": {"for_whom": "pregnant"}, "expected-delivery-date": date_parts(expected)},
    )
    assert walker.questions == ["for-whom", "expected-delivery-date"]
    page = page_text(walker.get(check))
    assert "I am pregnant" in page
    assert f"{expected.day} {expected.strftime('%B')} {expected.year}" in page
    assert f'href="{EXPECTED}"' in text(walker.client.get(check))  # each answer can be changed
    assert walker.heaviest <= FIRST_ROUND_TRIP_BYTES, walker.weights
    walker.send(check, {})
    record = by_reference(app, mother["person"]["spid"], walker.reference())
    assert record["answers"] == {
        "for_whom": "pregnant",
        "expected_delivery_date": expected.isoformat(),
    }
    assert record["facts"]["person"]["pregnant"] is True
    assert record["facts"]["person"]["sex"] == "female"
    assert record["eligibility"]["status"] == "eligible"


def test_the_expected_date_is_within_the_next_ten_months_and_nothing_typed_is_lost(app):
    client = signed_in(
        app, make_applicant(app, birth_date="1995-03-03", card=verified_card())["phone"]
    )
    Walker(client).start(PREGNANCY)
    post(client, FOR_WHOM, {"for_whom": "pregnant"})
    for day in (today() + dt.timedelta(days=400), today() - dt.timedelta(days=3)):
        response = post(client, EXPECTED, date_parts(day))
        assert response.status_code == 400
        assert "Enter a date from today to" in page_text(response)
        assert f'value="{day.year}"' in text(response)
    response = post(
        client,
        EXPECTED,
        {
            "expected_delivery_date-day": "31",
            "expected_delivery_date-month": "2",
            "expected_delivery_date-year": "2027",
        },
    )
    assert response.status_code == 400 and "Enter a real date" in page_text(response)
    # Back links: the date goes back to for whom, for whom to the start page.
    assert f'href="{FOR_WHOM}" class="back"' in text(client.get(EXPECTED))
    assert f'href="/applications/new/{PREGNANCY}" class="back"' in text(client.get(FOR_WHOM))
    # The answer chosen is shown again.
    assert 'value="pregnant" checked' in text(client.get(FOR_WHOM))


def test_a_child_of_the_household_under_2_can_be_chosen(app):
    born = (today() - dt.timedelta(days=300)).isoformat()
    carer = make_applicant(
        app, birth_date="2000-08-08", card=verified_card(), children=(born, "2015-01-01")
    )
    walker = Walker(signed_in(app, carer["phone"]))
    page = walker.get(FOR_WHOM.replace("/q/for-whom", ""))
    assert page.status_code == 200
    asked = text(walker.client.get(FOR_WHOM))
    baby, older = carer["children"]
    assert f'value="{baby["spid"]}"' in asked
    assert f'value="{older["spid"]}"' not in asked  # not under 2
    assert "Chan Mony" in page_text(walker.client.get(FOR_WHOM))
    check = walker.answer_all(PREGNANCY, {"for-whom": {"for_whom": baby["spid"]}})
    assert walker.questions == ["for-whom"]  # no delivery date for a child
    assert "Chan Mony" in page_text(walker.client.get(check))
    walker.send(check, {})
    record = by_reference(app, carer["person"]["spid"], walker.reference())
    assert record["answers"] == {"for_whom": "child", "child_spid": baby["spid"]}
    assert record["facts"]["children"] == [{"birth_date": born}]
    assert record["facts"]["household"]["child_under_2"] is True


def test_a_child_not_listed_is_registered_first(app, mother_client):
    client = signed_in(
        app, make_applicant(app, birth_date="1999-09-09", card=verified_card())["phone"]
    )
    Walker(client).start(PREGNANCY)
    response = post(client, FOR_WHOM, {"for_whom": "not_listed"})
    assert response.location == f"/applications/new/{PREGNANCY}/not-listed"
    page = client.get(response.location)
    assert "Register your child first" in page_text(page)
    assert 'href="/me/changes/new"' in text(page)
    # Someone else's child (any SPID not in the household) cannot be chosen.
    response = post(client, FOR_WHOM, {"for_whom": "12345678901"})
    assert response.status_code == 400


def test_only_what_the_programme_still_lacks_is_asked(app):
    """No Equity Card in the registry: the card is asked; the work the screener
    was told is not asked again; the registry's sex and age never are."""
    woman = make_applicant(app, birth_date="1994-04-04", card=None)
    client = signed_in(app, woman["phone"])
    with client.session_transaction() as session:
        session["screener"] = {
            "answers": {"person.employment": "informal"},
            "unknown": [],
            "known": None,
        }
    walker = Walker(client)
    expected = today() + dt.timedelta(days=60)
    check = walker.answer_all(
        PREGNANCY,
        {
            "for-whom": {"for_whom": "pregnant"},
            "expected-delivery-date": date_parts(expected),
            "equity-card": {"answer": "none"},
        },
    )
    assert walker.questions == ["for-whom", "expected-delivery-date", "equity-card"]
    page = page_text(walker.get(check))
    assert "from your eligibility check" in page  # the work, told to the screener
    assert "It may be refused" in page
    walker.send(check, {})
    record = by_reference(app, woman["person"]["spid"], walker.reference())
    assert record["eligibility"]["status"] == "not_eligible"
    assert record["facts"]["person"]["employment"] == "informal"
    assert record["facts"]["household"]["idpoor_level"] is None


def test_i_do_not_know_is_an_answer(app):
    woman = make_applicant(app, birth_date="1993-03-13", card=None)
    client = signed_in(app, woman["phone"])
    Walker(client).start(PREGNANCY)
    post(client, FOR_WHOM, {"for_whom": "pregnant"})
    response = post(client, EXPECTED, date_parts(today() + dt.timedelta(days=30)))
    assert response.location.endswith("/q/equity-card")
    response = post(client, response.location, {"action": "unknown"})
    assert response.location.endswith("/q/equity-card-end")  # as the screener would ask
    response = post(client, response.location, {"action": "unknown"})
    assert response.location.endswith("/q/work")
    response = post(client, response.location, {"answer": "nssf_employee"})
    assert response.location.endswith("/documents")
    response = client.get(f"/applications/new/{PREGNANCY}/check")
    assert response.location == f"/applications/new/{PREGNANCY}/documents"  # not declared yet
    response = post(client, f"/applications/new/{PREGNANCY}/documents", {})
    assert response.status_code == 400
    assert "Tick the box" in page_text(response)
    response = post(client, f"/applications/new/{PREGNANCY}/documents", {"declaration": "y"})
    page = page_text(client.get(response.location))
    assert "I do not know" in page


def test_not_eligible_is_told_why_and_may_still_apply(app):
    young = make_applicant(app, birth_date="1986-06-06", sex="male", card=None)
    walker = Walker(signed_in(app, young["phone"]))
    page = page_text(walker.get("/applications/new/elderly_allowance"))
    assert "It may be refused" in page
    assert "Your application may be refused, because:" in page
    assert "You are under 60 years old." in page
    assert "You can still apply" in page
    walker.apply("elderly_allowance")
    assert walker.questions == []
    record = by_reference(app, young["person"]["spid"], walker.reference())
    assert record["eligibility"]["status"] == "not_eligible"
