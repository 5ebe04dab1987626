"""A staff member signs in with password and authenticator code in a real
browser on a 360×640 screen, then signs out."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import expect

from tests.staff.conftest import PASSWORD, create_staff
from tests.support.browser import axe_violations


def test_staff_signs_in_with_password_and_code_on_a_phone(browser_app, live_url, page):
    secret = create_staff(browser_app, "officer.phone", "officer")
    page.goto(live_url + "/staff/?lang=en")
    expect(page).to_have_url(re.compile(re.escape(live_url + "/staff/login?next=")))
    page.get_by_label("Username").fill("officer.phone")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_url + "/staff/login/code")

    page.get_by_label("Enter the code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_url + "/staff/")
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("Staff officer.phone")
    assert "Commune officer" in main.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    main.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_url + "/staff/login")
    page.goto(live_url + "/staff/")
    expect(page).to_have_url(re.compile(re.escape(live_url + "/staff/login")))


def test_staff_sign_in_pages_have_no_serious_accessibility_violations(axe_page, live_url):
    for path in ("/staff/login", "/staff/login?lang=en"):
        axe_page.goto(live_url + path)
        assert axe_violations(axe_page) == [], path
