"""Browser fixtures (a pytest plugin, loaded by tests/conftest.py): headless
Debian Chromium driven by Playwright, at 360×640 like a low-end phone.

Any test folder may use `page`, `axe_page` and `live_url` (which serves
`browser_app`; override that fixture to serve another app). In CI (CI=true) a
missing Chromium is a failure; elsewhere those tests skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal import create_app
from tests.conftest import IN_CI, make_test_config
from tests.support.live_server import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PHONE = {"width": 360, "height": 640}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium is required in CI and is missing at {CHROMIUM}")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_app(tmp_path):
    return create_app(make_test_config(tmp_path))


@pytest.fixture
def live_url(browser_app):
    with serve(browser_app) as url:
        yield url


@pytest.fixture
def page(browser):
    """A phone-sized page; any Content-Security-Policy violation fails the test."""
    yield from _phone_page(browser, java_script_enabled=True)


@pytest.fixture
def page_without_js(browser):
    """A phone-sized page with JavaScript off, as on many cheap phones' data savers."""
    yield from _phone_page(browser, java_script_enabled=False)


def _phone_page(browser, java_script_enabled: bool):
    context = browser.new_context(
        viewport=PHONE, locale="km-KH", java_script_enabled=java_script_enabled
    )
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == []


@pytest.fixture
def axe_page(browser):
    """A phone-sized page that can run axe-core (CSP bypassed for the checker only)."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)")
    context = browser.new_context(viewport=PHONE, locale="km-KH", bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page, minimum_impact=("serious", "critical")) -> list[dict]:
    # a click that submits a form returns once the next page starts loading:
    # check the page as the person sees it, once it has loaded
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in minimum_impact
    ]


def sign_in_with_phone(page, live_url: str, phone: str, next_path: str = "") -> None:
    """Sign in as a citizen in Khmer: the phone number, then the code read from
    /dev/sms (a development app's text messages). Ends signed in."""
    import re

    from playwright.sync_api import expect

    page.goto(live_url + "/login" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("ចូលគណនីដោយប្រើទូរសព្ទដៃរបស់អ្នក").fill(phone)
    page.get_by_role("button", name="ផ្ញើលេខកូដមកខ្ញុំ").click()
    expect(page).to_have_url(re.compile(re.escape("/login/verify") + "$"))
    texts = page.context.new_page()
    texts.goto(live_url + "/dev/sms")
    code = re.search(r"\b(\d{6})\b", texts.locator("table").inner_text()).group(1)
    texts.close()
    page.get_by_label("បញ្ចូលលេខកូដ").fill(code)
    page.get_by_role("button", name="ចូលគណនី").click()
    expect(page.get_by_role("button", name="ចាកចេញ")).to_be_visible()


def page_width(page) -> int:
    """The laid-out width of the page once it has loaded. A click that starts
    a navigation returns when the new document is committed, before it has a
    root element, so measuring right away can find no document at all."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def fits_the_screen(page) -> bool:
    """Nothing forces sideways scrolling on a 360 px phone."""
    return page_width(page) <= PHONE["width"]
