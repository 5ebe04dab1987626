"""The CSV of the filtered queue: the same views, filters and scope as the
page; codes, dates and flags, no free text and no contact details unless a
supervisor asks (and never the contact of an anonymous report); a cell a
spreadsheet would run as a formula is defused; downloaded, never cached."""

from __future__ import annotations

import pytest

from portal.backoffice.cases.export import COLUMNS, TEXT_COLUMNS, safe_cell
from tests.backoffice.cases.casework import (
    QUEUE,
    case_app,
    handler,
    new_case,
    new_phone,
    rows,
    supervisor,
)

EXPORT = f"{QUEUE}/export.csv"
COMMUNE = "020201"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return case_app(tmp_path_factory, "case_export")


def test_handlers_get_codes_and_flags_without_free_text(app):
    phone = new_phone()
    case = new_case(app, commune=COMMUNE, phone=phone, due_in=-2, assignee="export.dara")
    new_case(app, commune="020202")  # not theirs
    client = handler(app, "export.dara", [COMMUNE])
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert "did not come" not in body and phone not in body
    found = rows(response)
    assert [row["reference"] for row in found] == [case["reference"]]
    assert list(found[0]) == list(COLUMNS)
    assert found[0]["status"] == "received"
    assert found[0]["resolve_by"] == case["resolve_by"]
    assert found[0]["assignee"] == "export.dara"
    assert found[0]["confidential"] == "no" and found[0]["appeal"] == "no"
    # Asking for the text does not give it to a handler.
    assert "did not come" not in client.get(f"{EXPORT}?include_text=1").get_data(as_text=True)
    # The same views as the page.
    assert rows(client.get(f"{EXPORT}?view=overdue"))[0]["reference"] == case["reference"]
    assert rows(client.get(f"{EXPORT}?view=today")) == []


def test_supervisors_may_ask_for_the_text_but_never_an_anonymous_contact(app):
    commune = "020203"
    phone, hidden_phone = new_phone(), new_phone()
    named = new_case(app, commune=commune, phone=phone)
    anonymous = new_case(
        app,
        commune=commune,
        complainant={"anonymous": True, "contact_phone": hidden_phone, "language": "km"},
        description='=HYPERLINK("http://evil.example","click")',
    )
    client = supervisor(app, "export.boss")
    plain = client.get(f"{EXPORT}?commune={commune}").get_data(as_text=True)
    assert "did not come" not in plain and phone not in plain
    response = client.get(f"{EXPORT}?commune={commune}&include_text=1")
    found = {row["reference"]: row for row in rows(response)}
    assert list(next(iter(found.values()))) == [*COLUMNS, *TEXT_COLUMNS]
    assert found[named["reference"]]["description"] == "The payment for October did not come."
    assert found[named["reference"]]["contact_phone"] == "'" + phone  # "+" is defused
    assert found[anonymous["reference"]]["contact_phone"] == ""
    assert found[anonymous["reference"]]["complainant_spid"] == ""
    assert hidden_phone not in response.get_data(as_text=True)
    assert found[anonymous["reference"]]["description"].startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+855", "'+855"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain words", "plain words"),
        ("ប្រាក់", "ប្រាក់"),
        (None, ""),
        (True, "yes"),
    ],
)
def test_the_formula_guard(value, written):
    assert safe_cell(value) == written
