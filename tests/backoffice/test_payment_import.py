"""Importing the payment provider's CSV file: each row is matched by reference
and SPID among the officer's programmes; the same file imported twice records
nothing twice; each row says what became of it; no file, however broken,
gives a 500."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from portal.backoffice import payments_csv, services
from tests.backoffice.conftest import (
    OTHER_PROGRAMME,
    PROGRAMME,
    TOKEN,
    applicant,
    application,
    page,
    read_application,
)
from tests.backoffice.test_decisions import sms_to

IMPORT = "/backoffice/applications/payments/import"
HEADER = "reference,spid,paid_on,period,amount_riel,transaction_id"
PAID_ON = (dt.date.today() - dt.timedelta(days=2)).isoformat()
PERIOD = PAID_ON[:7]


def upload(client, content: bytes | str, name: str = "payments.csv"):
    data = content.encode() if isinstance(content, str) else content
    token = TOKEN.search(client.get(IMPORT).get_data(as_text=True)).group(1)
    return client.post(
        IMPORT,
        data={"csrf_token": token, "payments_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def line(record: dict, person: dict, transaction: str, amount: str = "40000") -> str:
    return f"{record['reference']},{person['spid']},{PAID_ON},{PERIOD},{amount},{transaction}"


def rows_of(response) -> str:
    return page(response).split("Each row of the file", 1)[-1]


def test_a_file_records_payments_and_importing_it_again_records_nothing_twice(
    app, programme_officer
):
    first_person, second_person = applicant(app), applicant(app)
    approved = application(app, first_person, PROGRAMME, state="approved")
    enrolled = application(app, second_person, PROGRAMME, state="approved")
    content = "\n".join(
        [
            HEADER,
            line(approved, first_person, "TX-1"),
            line(enrolled, second_person, "TX-2", amount="60000"),
            line(enrolled, second_person, "TX-3", amount="60000"),
        ]
    )
    response = upload(programme_officer, "\ufeff" + content + "\r\n")  # with a BOM, CRLF
    assert response.status_code == 200
    text = page(response)
    assert text.count(">Recorded</strong>") == 3
    stored = read_application(app, approved["id"])
    assert stored["status"] == "enrolled"
    [paid] = stored["payments"]
    assert paid == {
        "id": services.payment_id_for(approved["id"], "TX-1"),
        "paid_on": PAID_ON,
        "period": PERIOD,
        "amount_riel": 40_000,
        "provider_reference": "TX-1",
    }
    assert stored["history"][-1]["actor"] == "programme_officer:prog.dara"
    second = read_application(app, enrolled["id"])
    assert second["status"] == "enrolled"
    assert [p["provider_reference"] for p in second["payments"]] == ["TX-2", "TX-3"]
    assert len(sms_to(app, first_person)) == 2  # enrolled, and the payment
    assert len(sms_to(app, second_person)) == 3  # enrolled, and two payments

    again = upload(programme_officer, content)
    assert again.status_code == 200
    assert page(again).count(">Already recorded</strong>") == 3
    assert len(read_application(app, enrolled["id"])["payments"]) == 2
    assert len(sms_to(app, second_person)) == 3


def test_each_wrong_row_says_why_and_the_others_are_recorded(app, programme_officer):
    person, other_person = applicant(app), applicant(app)
    good = application(app, person, PROGRAMME, state="approved")
    not_approved = application(app, person, PROGRAMME, state="documents_checked")
    elsewhere = application(app, other_person, OTHER_PROGRAMME, state="approved")
    content = "\n".join(
        [
            HEADER,
            line(good, person, "TX-OK"),  # row 2
            line(good, other_person, "TX-WRONG-SPID"),  # row 3: not this person's
            line(not_approved, person, "TX-EARLY"),  # row 4
            line(elsewhere, other_person, "TX-ELSEWHERE"),  # row 5: another programme
            f"AP-1,{person['spid']},{PAID_ON},{PERIOD},40000,TX-4",  # row 6
            f"{good['reference']},123,2026-02-30,2026-13,-5,",  # row 7
            f"{good['reference']},{person['spid']},2999-01-01,{PERIOD},{'9' * 300},TX-5",
            f"{good['reference']},{person['spid']}",  # row 9: too few values
            line(good, person, "TX-OK"),  # row 10: the same payment again
        ]
    )
    response = upload(programme_officer, content)
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows.count(">Recorded</strong>") == 1
    assert rows.count(">Already recorded</strong>") == 1
    assert rows.count(">Not recorded</strong>") == 7
    assert rows.count("No application of your programmes has this reference and SPID.") == 2
    assert "The application is “Documents checked”" in rows
    assert "The reference must be written like AP-2026-004217." in rows
    assert "The SPID must have 11 digits." in rows
    assert "The payment date is not a real date." in rows
    assert "The period must be a month written like 2026-03." in rows
    assert "The amount must be a whole number of riel from 1 to 100,000,000." in rows
    assert "The transaction id must have 1 to 64 letters" in rows
    assert "The payment date is after today." in rows
    assert "This row has 2 values instead of 6." in rows
    assert "<td>10</td>" in rows  # rows are numbered as in a spreadsheet
    assert len(read_application(app, good["id"])["payments"]) == 1
    assert read_application(app, not_approved["id"])["payments"] == []
    assert read_application(app, elsewhere["id"])["payments"] == []


HOSTILE = {
    "empty": b"",
    "only spaces": b"   \n\n",
    "header only": HEADER.encode() + b"\n",
    "wrong header": b"ref,spid,date,month,amount,tx\nAP-2026-000001,1,2,3,4,5\n",
    "no header": b"AP-2026-000001,02715805414,2026-03-31,2026-03,40000,TX\n",
    "semicolons": b"reference;spid;paid_on;period;amount_riel;transaction_id\n",
    "not utf-8": HEADER.encode() + b"\nAP-2026-000001,\xff\xfe,2026-03-31,2026-03,1,T\n",
    "utf-16": HEADER.encode("utf-16"),
    "nul bytes": HEADER.encode() + b"\nAP-2026-000001,0\x0027,2026-03-31,2026-03,1,T\n",
    "binary": bytes(range(256)) * 10,
    "too big": HEADER.encode() + b"\n" + b"x" * (payments_csv.MAX_BYTES + 10),
    "too many rows": (
        HEADER + "\n" + "AP-2026-000001,02715805414,2026-03-31,2026-03,1,T\n" * 2001
    ).encode(),
    "unclosed quote": (HEADER + '\n"AP-2026-000001,02715805414\n').encode(),
    "huge field": (HEADER + "\n" + '"' + "a" * 200_000 + '",1,2,3,4,5\n').encode(),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(app, programme_officer, name):
    response = upload(programme_officer, HOSTILE[name])
    assert response.status_code == 400, name
    text = page(response)
    assert "There is a problem" in text
    assert "Each row of the file" not in text


def test_hostile_values_in_rows_are_row_problems(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="approved")
    ref, spid = record["reference"], person["spid"]
    content = "\n".join(
        [
            HEADER,
            f"{ref},{spid},{PAID_ON},{PERIOD},40000,{'T' * 65}",
            f"{ref},{spid},{PAID_ON},{PERIOD},40000,TX\u200b1",
            f"{ref},{spid},{PAID_ON},{PERIOD},1e9,TX-1",
            f"{ref},{spid},{PAID_ON},{PERIOD},99999999999999999999999999,TX-2",
            f"{ref},{spid},0001-01-01,{PERIOD},40000,TX-3",
            f"{ref},{spid},{PAID_ON},0000-01,40000,TX-4",
            f"{ref}<script>,{spid},{PAID_ON},{PERIOD},40000,TX-6",
            f"{ref},{spid},{PAID_ON},{PERIOD},40000,TX-7,extra",
        ]
    )
    response = upload(programme_officer, content)
    assert response.status_code == 200
    rows = rows_of(response)
    assert rows.count(">Not recorded</strong>") == 8
    assert "<script>" not in response.get_data(as_text=True)
    assert read_application(app, record["id"])["payments"] == []


def test_khmer_digits_and_spaces_in_a_row_are_read(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="approved")
    spid = person["spid"]
    grouped = f"{spid[:3]} {spid[3:6]} {spid[6:9]} {spid[9:]}"
    content = f"{HEADER}\n {record['reference'].lower()} ,{grouped},{PAID_ON},{PERIOD},៤០០០០,TX-9\n"
    response = upload(programme_officer, content)
    assert page(response).count(">Recorded</strong>") == 1
    assert read_application(app, record["id"])["payments"][0]["amount_riel"] == 40_000


def test_the_form_needs_a_file_and_a_token(app, programme_officer):
    token = TOKEN.search(programme_officer.get(IMPORT).get_data(as_text=True)).group(1)
    no_file = programme_officer.post(IMPORT, data={"csrf_token": token})
    assert no_file.status_code == 400 and "Choose the payment file" in page(no_file)
    as_text = programme_officer.post(IMPORT, data={"csrf_token": token, "payments_file": "a,b"})
    assert as_text.status_code == 400
    no_token = programme_officer.post(
        IMPORT,
        data={"payments_file": (io.BytesIO(HEADER.encode()), "p.csv")},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400


def test_rows_left_when_the_time_is_up_are_not_done(app, programme_officer, monkeypatch):
    person = applicant(app)
    record = application(app, person, PROGRAMME, state="approved")
    monkeypatch.setattr(services, "IMPORT_SECONDS", 0.5)
    monkeypatch.setattr(services, "ROW_SECONDS", 1.0)
    content = f"{HEADER}\n{line(record, person, 'TX-1')}\n{line(record, person, 'TX-2')}\n"
    response = upload(programme_officer, content)
    assert response.status_code == 200
    text = page(response)
    assert text.count(">Not done yet</strong>") == 2
    assert "Import the same file again" in text
    assert read_application(app, record["id"])["payments"] == []
