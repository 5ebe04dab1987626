"""The `spid` filter, times in Phnom Penh, and the guards on every /me view."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template_string
from flask_babel import force_locale

from portal.i18n import format_spid
from portal.my_record.display import format_moment


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        ("02715805414", "km", "០២៧ ១៥៨ ០៥៤ ១៤"),
        ("02715805414", "en", "027 158 054 14"),
        ("0271 5805 414", "en", "027 158 054 14"),  # typed with other spaces
        ("០២៧១៥៨០៥៤១៤", "en", "027 158 054 14"),  # typed in Khmer digits
        ("12345", "km", "១២៣៤៥"),  # not a SPID: shown as it is
        ("", "en", ""),
        (None, "en", ""),
    ],
)
def test_the_spid_filter_groups_3_3_3_2_in_the_page_digits(app, value, language, shown):
    with app.test_request_context("/"), force_locale(language):
        assert format_spid(value) == shown
        assert render_template_string("{{ value|spid }}", value=value) == shown


def test_a_moment_is_shown_in_phnom_penh_time(app):
    moment = dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC)  # 06:30 on the 15th in Phnom Penh
    with app.test_request_context("/"):
        with force_locale("en"):
            assert format_moment(moment) == "15 March 2026 at 6:30 AM"
            assert format_moment("2026-03-14T23:30:00+00:00") == "15 March 2026 at 6:30 AM"
        with force_locale("km"):
            shown = format_moment(moment)
    assert shown.startswith("១៥ មីនា ២០២៦ ម៉ោង ៦:៣០")


def test_every_my_record_view_is_for_citizens_only(app):
    views = {
        endpoint: view
        for endpoint, view in app.view_functions.items()
        if endpoint.startswith("my_record.")
    }
    assert set(views) == {
        "my_record.overview",
        "my_record.card",
        "my_record.data_access",
        "my_record.choose",
        "my_record.withdraw_consent",
    }
    for endpoint, view in views.items():
        assert view.required_roles == frozenset({"citizen"}), endpoint
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in views]
    # no route takes a person id (withdrawing takes one of the person's own consents)
    assert {rule.endpoint: rule.arguments for rule in rules if rule.arguments} == {
        "my_record.withdraw_consent": {"consent_id"}
    }
