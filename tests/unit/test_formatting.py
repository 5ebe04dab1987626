"""Snapshots of what readers see: Khmer digits, dates and riel on Khmer pages,
Latin digits on English pages. Babel is pinned; these pin its output."""

import datetime as dt

import pytest

from portal.i18n import format_date, format_digits, format_number, format_phone, format_riel

DAY = dt.date(2025, 3, 14)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "km",
            {
                "number": "១,២៣៤,៥៦៧",
                "date": "១៤ មីនា ២០២៥",
                "iso_date": "១ សីហា ២០២៣",
                "riel": "៤០,០០០៛",
                "phone": "០១២ ៣៤៥ ៦៧៨",
                "digits": "GR-២០២៥-០០៤២",
            },
        ),
        (
            "en",
            {
                "number": "1,234,567",
                "date": "14 March 2025",
                "iso_date": "1 August 2023",
                "riel": "40,000 riel",
                "phone": "012 345 678",
                "digits": "GR-2025-0042",
            },
        ),
    ],
)
def test_filters_per_language(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert format_number(1234567) == expected["number"]
        assert format_date(DAY) == expected["date"]
        assert format_date("2023-08-01") == expected["iso_date"]
        assert format_riel(40000) == expected["riel"]
        assert format_phone("+85512345678") == expected["phone"]
        assert format_digits("GR-2025-0042") == expected["digits"]


def test_empty_values_print_nothing(app):
    with app.test_request_context("/?lang=km"):
        assert format_date(None) == ""
        assert format_riel(None) == ""
        assert format_phone("") == ""


def test_filters_are_available_in_templates(app):
    with app.test_request_context("/?lang=km"):
        template = app.jinja_env.from_string("{{ 80000|riel }} {{ d|date }} {{ 7|number }}")
        assert template.render(d=DAY) == "៨០,០០០៛ ១៤ មីនា ២០២៥ ៧"
