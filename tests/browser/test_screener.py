"""The whole eligibility screener in Khmer, JavaScript off, on a 360×640 screen."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, axe_violations, fits_the_screen


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport=PHONE, locale="km-KH", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def choose(page, label: str):
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="បន្ត").click()


def enter_date(page, day: str, month: str, year: str):
    page.get_by_label("ថ្ងៃ", exact=True).fill(day)
    page.get_by_label("ខែ", exact=True).fill(month)
    page.get_by_label("ឆ្នាំ", exact=True).fill(year)
    page.get_by_role("button", name="បន្ត").click()


def test_a_pregnant_woman_in_a_poor_household_goes_through_in_khmer(no_js_page, live_url):
    page = no_js_page
    page.goto(live_url + "/")
    page.get_by_role("link", name="ចាប់ផ្តើម៖ ពិនិត្យមើលថាអ្នកអាចទទួលបានអ្វីខ្លះ").click()
    page.get_by_role("link", name="ចាប់ផ្តើមឥឡូវនេះ").click()

    expect(page.locator("h1")).to_have_text("តើអ្នកកើតនៅថ្ងៃខែឆ្នាំណា?")
    enter_date(page, "១", "៥", "១៩៩៥")  # Khmer digits, as typed on a Khmer keyboard
    choose(page, "ស្ត្រី")
    choose(page, "មាន កម្រិត ១")
    enter_date(page, "30", "6", str(dt.date.today().year + 2))
    expect(page).to_have_url(re.compile(re.escape("/eligibility/q/work") + "$"))
    page.get_by_role("button", name="ខ្ញុំមិនដឹងទេ").click()

    # a mistake: nothing chosen → error summary, nothing lost
    page.get_by_role("button", name="បន្ត").click()
    expect(page).to_have_title(re.compile("^កំហុស៖"))
    expect(page.locator(".err-sum")).to_be_visible()
    choose(page, "បាទ/ចាស")  # pregnant

    # the rest: "I do not know" until the check page
    while page.locator("h1").inner_text() != "ពិនិត្យចម្លើយរបស់អ្នក":
        page.get_by_role("button", name="ខ្ញុំមិនដឹងទេ").click()
    assert "១ ឧសភា ១៩៩៥" in page.locator("main").inner_text()

    page.get_by_role("link", name="មើលថាអ្នកអាចទទួលបានអ្វីខ្លះ").click()
    main = page.locator("main").inner_text()
    assert "អ្នកប្រហែលជាអាចទទួលបាន៖ មន្ត្រីនឹងពិនិត្យ" in main
    assert "៨០,០០០៛" in main
    assert "មូលហេតុ៖" in main
    assert "អ្វីដែលត្រូវធ្វើបន្ទាប់" in main
    assert fits_the_screen(page)

    page.get_by_role("link", name="សេចក្តីសង្ខេប សម្រាប់បោះពុម្ព ឬបង្ហាញនៅសាលាឃុំ-សង្កាត់").click()
    expect(page).to_have_url(re.compile(re.escape("/eligibility/summary") + "$"))


@pytest.mark.parametrize("path", ["/eligibility", "/eligibility/q/birth-date"])
def test_screener_pages_have_no_serious_accessibility_violations(axe_page, live_url, path):
    axe_page.goto(live_url + path)
    assert axe_violations(axe_page) == []


def test_results_page_has_no_serious_accessibility_violations(axe_page, live_url):
    axe_page.goto(live_url + "/eligibility/q/birth-date")
    axe_page.get_by_role("button", name="ខ្ញុំមិនដឹងទេ").click()
    axe_page.goto(live_url + "/eligibility/results")
    expect(axe_page.locator("h1")).to_have_text("អ្វីដែលអ្នកអាចទទួលបាន")
    assert axe_violations(axe_page) == []
