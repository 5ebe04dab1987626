"""A citizen signs in, in Khmer, on a 360×640 screen: phone number, then the
code read from /dev/sms (the development text-message outbox)."""

import re

import pytest
from playwright.sync_api import expect

from portal import create_app
from tests.conftest import make_test_config
from tests.support.browser import axe_violations, fits_the_screen


@pytest.fixture
def browser_app(tmp_path):
    return create_app(make_test_config(tmp_path, PORTAL_ENV="development"))


def test_citizen_signs_in_with_phone_and_code_in_khmer(page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="ចូលគណនី").click()
    expect(page.locator("h1")).to_have_text("ចូលគណនីដោយប្រើទូរសព្ទដៃរបស់អ្នក")
    page.get_by_label("ចូលគណនីដោយប្រើទូរសព្ទដៃរបស់អ្នក").fill("០១២ ៣៤៥ ៦៧៨")
    page.get_by_role("button", name="ផ្ញើលេខកូដមកខ្ញុំ").click()
    expect(page).to_have_url(re.compile(re.escape("/login/verify") + "$"))

    outbox = page.context.new_page()
    outbox.goto(live_url + "/dev/sms")
    code = re.search(r"\b(\d{6})\b", outbox.locator("table").inner_text()).group(1)
    outbox.close()

    page.get_by_label("បញ្ចូលលេខកូដ").fill(code)
    page.get_by_role("button", name="ចូលគណនី").click()
    expect(page).to_have_url(live_url + "/")
    header = page.locator("header").inner_text()
    assert "០១២ ៣៤៥ ៦៧៨" in header
    expect(page.get_by_role("button", name="ចាកចេញ")).to_be_visible()
    assert fits_the_screen(page)

    page.get_by_role("button", name="ចាកចេញ").click()
    expect(page.get_by_role("link", name="ចូលគណនី")).to_be_visible()


@pytest.mark.parametrize("path", ["/login", "/dev/sms"])
def test_sign_in_pages_have_no_serious_accessibility_violations(axe_page, live_url, path):
    axe_page.goto(live_url + path)
    assert axe_violations(axe_page) == []
