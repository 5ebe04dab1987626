"""The portal shell in a real browser on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import sample_form
from tests.support.browser import axe_violations, fits_the_screen


def test_khmer_home_renders_on_a_small_screen(page, live_url):
    page.goto(live_url + "/")
    assert page.get_attribute("html", "lang") == "km"
    heading = page.locator("h1")
    assert "ការគាំពារសង្គម" in heading.inner_text()
    # Khmer glyphs have a font: the system's, or our self-hosted fallback subset.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
    # nothing forces sideways scrolling at 360 px
    assert fits_the_screen(page)


def test_language_switch(page, live_url):
    page.goto(live_url + "/about/data")
    page.get_by_role("link", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator("h1")).to_have_text("About the data")
    page.goto(live_url + "/")  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en"
    page.get_by_role("link", name="ខ្មែរ").click()
    assert page.get_attribute("html", "lang") == "km"


def test_keyboard_focus_is_visible(page, live_url):
    page.goto(live_url + "/")
    page.keyboard.press("Tab")  # the skip link comes first
    focused = page.evaluate(
        "() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return {cls: e.className, bg: s.backgroundColor, shadow: s.boxShadow,"
        " left: e.getBoundingClientRect().left}; }"
    )
    assert focused["cls"] == "skip"
    assert focused["left"] >= 0  # it comes into view
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    link = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {bg: s.backgroundColor, shadow: s.boxShadow}; }"
    )
    assert link["bg"] == "rgb(255, 221, 0)"
    assert link["shadow"] != "none"


def test_touch_targets_are_at_least_44px(page, live_url):
    page.goto(live_url + "/")
    for locator in (page.locator(".lang a"), page.locator(".brand")):
        for index in range(locator.count()):
            box = locator.nth(index).bounding_box()
            assert box["height"] >= 44, locator.nth(index).inner_text()


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/about/data", "/no-such-page"])
def test_no_serious_accessibility_violations(axe_page, live_url, path):
    axe_page.goto(live_url + path)
    assert axe_violations(axe_page) == []


@pytest.fixture
def browser_app(browser_app):
    browser_app.register_blueprint(sample_form.blueprint)
    return browser_app


def test_design_system_components_are_accessible(axe_page, live_url):
    axe_page.goto(live_url + "/sample/components")
    assert axe_violations(axe_page) == []


def test_form_with_errors_is_accessible_and_focusable(axe_page, live_url):
    axe_page.goto(live_url + "/sample")
    axe_page.get_by_role("button").click()
    # retrying assertions: the click returns as soon as the answer starts loading
    expect(axe_page.locator(".err-sum")).to_be_visible()
    expect(axe_page).to_have_title(re.compile("^កំហុស៖"))
    assert axe_violations(axe_page) == []
    # the summary's links take you to the field
    axe_page.locator(".err-sum a").first.click()
    expect(axe_page.locator("#phone_number")).to_be_focused()


# The deepest subscripts Khmer stacks: coeng TA with coeng RO, coeng BA, coeng NGO.
DEEP_SUBSCRIPTS = "ស្ត្រី ឧបត្ថម្ភ សង្ខេប ព្យាបាល"


def test_link_underlines_clear_khmer_subscript_consonants(page, live_url):
    page.goto(live_url + "/eligibility")
    page.evaluate("document.fonts.ready")
    link = page.locator("main a").first
    gap = link.evaluate(
        """(a, text) => {
            const style = getComputedStyle(a);
            const context = document.createElement("canvas").getContext("2d");
            context.font = style.font;
            const descent = context.measureText(text).actualBoundingBoxDescent;
            return parseFloat(style.textUnderlineOffset) - descent;
        }""",
        DEEP_SUBSCRIPTS,
    )
    # the underline sits below the lowest subscript, with room for its thickness
    assert gap >= 1
