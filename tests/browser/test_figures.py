"""Figures for decision-makers (/figures) on a 360×640 phone, in Khmer (the
default), with JavaScript off: a visitor goes down from the whole country to a
province, a district and a commune of the demo's figures population (commune
A, which has figures) and reads its key numbers, then what the figures mean.
Every page fits the screen, passes axe and is one round trip's worth of bytes."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from portal import gazetteer
from portal.figures import editions
from portal.figures.page import shown_value
from portal.i18n import format_number
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.conftest import checked_app
from tests.support.browser import axe_violations, fits_the_screen, page_width
from tests.support.demo_data import (
    FIGURES_COMMUNES,
    FIGURES_DISTRICT,
    FIGURES_HOUSEHOLDS,
    FIGURES_PROVINCE,
    load_demo_population,
)

COMMUNE = FIGURES_COMMUNES["A"]
PLACES = [
    "/figures",
    *(f"/figures/{code}" for code in (FIGURES_PROVINCE, FIGURES_DISTRICT, COMMUNE)),
]
PAGES = [*PLACES, "/figures/about"]
KEY_FIGURES = {
    "households": "Households registered",
    "applications.state.waiting": "Applications waiting for a decision",
    "grievances.overdue": "Complaints overdue",
}


@pytest.fixture
def browser_app(tmp_path):
    app = checked_app(tmp_path)
    load_demo_population(app, places=True)
    editions.compute(app)  # what the hourly job does
    return app


def in_khmer(app, text: str, **values) -> str:
    with app.test_request_context("/"), force_locale("km"):
        return _(text, **values)


def expected_key_figures(app, code: str) -> dict[str, str]:
    """The commune's key numbers as the page should write them in Khmer, read
    from the newest public edition: {row label: value}."""
    with app.test_request_context("/"), force_locale("km"):
        shown = editions.public().places.get(code)
        assert shown is not None, f"{code} has no figures in the public edition"
        return {_(label): shown_value(shown, figure) for figure, label in KEY_FIGURES.items()}


def key_figures(page) -> dict[str, str]:
    """The "In short" list: {row label: value}."""
    rows = page.locator("dl.sum").first.locator(".sum-r").all()
    return {row.locator("dt").inner_text(): row.locator("dd").inner_text() for row in rows}


def follow(page, live_url: str, name: str, path: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(live_url + path)
    assert fits_the_screen(page), (path, page_width(page))


def test_a_visitor_goes_down_to_a_commune_and_reads_its_figures(
    page_without_js, live_url, browser_app
):
    page = page_without_js
    province = gazetteer.province(FIGURES_PROVINCE)
    district = gazetteer.district(FIGURES_DISTRICT)
    commune = gazetteer.commune(COMMUNE)

    page.goto(live_url + "/figures")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    expect(page.locator("h1")).to_have_text(in_khmer(browser_app, "Cambodia"))
    assert fits_the_screen(page), ("/figures", page_width(page))

    follow(page, live_url, province.name_km, f"/figures/{FIGURES_PROVINCE}")
    expect(page.locator("h1")).to_have_text(province.name_km)
    follow(page, live_url, district.name_km, f"/figures/{FIGURES_DISTRICT}")
    expect(page.locator("h1")).to_have_text(district.name_km)
    follow(page, live_url, commune.name_km, f"/figures/{COMMUNE}")
    expect(page.locator("h1")).to_have_text(commune.name_km)

    expected = expected_key_figures(browser_app, COMMUNE)
    shown = key_figures(page)
    assert {label: shown.get(label) for label in expected} == expected
    with browser_app.test_request_context("/"), force_locale("km"):
        households = format_number(FIGURES_HOUSEHOLDS["A"])
    assert shown[in_khmer(browser_app, KEY_FIGURES["households"])] == households
    assert re.fullmatch(r"[០-៩,]+", households)  # Khmer digits

    follow(
        page,
        live_url,
        in_khmer(browser_app, "What the figures mean, and why some are hidden"),
        "/figures/about",
    )
    expect(page.locator("h1")).to_have_text(in_khmer(browser_app, "About the figures"))


def test_the_figures_pages_pass_axe_and_load_in_one_round_trip(axe_page, live_url, browser_app):
    violations = {}
    for path in PAGES:
        axe_page.goto(live_url + path)
        found = axe_violations(axe_page)
        if found:
            violations[path] = found
    assert violations == {}

    client = browser_app.test_client()
    weights = {path: measure(client, path).total for path in PAGES}  # in Khmer, the default
    assert {path: total for path, total in weights.items() if total > FIRST_ROUND_TRIP_BYTES} == {}
