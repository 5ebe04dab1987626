"""Recording a payment by hand: the first one enrols an approved application
in the same write; each payment is a text message; the form refuses a day
in the future, an impossible month and amounts out of bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.applications import notify
from tests.backoffice.conftest import (
    PROGRAMME,
    applicant,
    application,
    detail_path,
    page,
    post,
    read_application,
)
from tests.backoffice.test_decisions import sms_to, status_sms

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def payment(**overrides) -> dict:
    fields = {
        "paid_on-day": str(YESTERDAY.day),
        "paid_on-month": str(YESTERDAY.month),
        "paid_on-year": str(YESTERDAY.year),
        "period_month": f"{YESTERDAY.month:02d}",
        "period_year": str(YESTERDAY.year),
        "amount_riel": "40,000",
        "provider_reference": "WING-7781",
    }
    fields.update(overrides)
    return fields


def pay(client, record, **overrides):
    path = f"{detail_path(record)}/payments"
    return post(client, path, detail_path(record), **payment(**overrides))


def payment_sms(app, record: dict, amount: int) -> str:
    with app.test_request_context():
        return notify.payment_text(record["reference"], amount, "km")


def test_the_first_payment_enrols_an_approved_application(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="approved")
    response = pay(programme_officer, record)
    assert response.status_code == 302
    stored = read_application(app, record["id"])
    assert stored["status"] == "enrolled"
    [paid] = stored["payments"]
    assert paid["paid_on"] == YESTERDAY.isoformat()
    assert paid["period"] == f"{YESTERDAY.year}-{YESTERDAY.month:02d}"
    assert paid["amount_riel"] == 40_000
    assert paid["provider_reference"] == "WING-7781"
    assert stored["history"][-1]["to_status"] == "enrolled"
    assert stored["history"][-1]["actor"] == "programme_officer:prog.dara"
    assert sms_to(app, person) == [
        status_sms(app, stored, "enrolled"),
        payment_sms(app, stored, 40_000),
    ]
    text = page(programme_officer.get(detail_path(record)))
    assert "40,000 riel" in text and "WING-7781" in text
    khmer = page(programme_officer.get(detail_path(record) + "?lang=km"))
    assert "៤០,០០០" in khmer

    second = pay(programme_officer, record, amount_riel="៤០០០០", provider_reference="")
    assert second.status_code == 302
    stored = read_application(app, record["id"])
    assert [paid["amount_riel"] for paid in stored["payments"]] == [40_000, 40_000]
    assert stored["payments"][1]["provider_reference"] is None
    assert len(sms_to(app, person)) == 3  # no status change: one message for the payment


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount_riel": "0"}, "Enter a whole number of riel from 1 to 100,000,000"),
        ({"amount_riel": "100000001"}, "Enter a whole number of riel from 1 to 100,000,000"),
        ({"amount_riel": "9" * 400}, "Enter a whole number of riel from 1 to 100,000,000"),
        ({"amount_riel": "40.5"}, "Enter a whole number of riel from 1 to 100,000,000"),
        ({"amount_riel": ""}, "Enter the amount in riel"),
        ({"paid_on-year": str(dt.date.today().year + 1)}, "Enter a year from"),
        ({"paid_on-day": "31", "paid_on-month": "2"}, "Enter a real date"),
        ({"period_month": "13"}, "Not a valid choice"),
        ({"period_year": "1999"}, "Enter a year from 2000 to"),
        ({"provider_reference": "x" * 65}, "Write at most 64 characters"),
        ({"provider_reference": "a\x00b"}, "Remove the special characters"),
    ],
)
def test_a_payment_the_form_refuses(app, programme_officer, fields, message):
    record = application(app, applicant(app), PROGRAMME, state="approved")
    response = pay(programme_officer, record, **fields)
    assert response.status_code == 400
    assert message in page(response)
    assert read_application(app, record["id"])["payments"] == []


def test_a_day_after_today_is_refused(app, programme_officer):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    if tomorrow.year != dt.date.today().year:
        pytest.skip("on 31 December the year check answers first")
    record = application(app, applicant(app), PROGRAMME, state="approved")
    response = pay(
        programme_officer,
        record,
        **{
            "paid_on-day": str(tomorrow.day),
            "paid_on-month": str(tomorrow.month),
            "paid_on-year": str(tomorrow.year),
        },
    )
    assert response.status_code == 400
    assert "The date cannot be after today" in page(response)


def test_no_payment_before_approval(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="documents_checked")
    response = post(
        programme_officer,
        f"{detail_path(record)}/payments",
        detail_path(record),
        version=str(record["version"]),
        **payment(),
    )
    assert response.status_code == 409
    assert read_application(app, record["id"])["payments"] == []
    assert sms_to(app, person) == []
