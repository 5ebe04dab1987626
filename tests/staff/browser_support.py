"""Chromium at 360×640 for the staff browser test, in a thread of its own.

tests/browser/conftest.py keeps one session-wide Playwright; a second
session-wide one (as a fixture imported into this folder) cannot start in the
same process ("Sync API inside the asyncio loop"). A thread has no running
loop, so a short-lived Playwright there works whichever folder runs first.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest

from tests.browser.conftest import AXE, CHROMIUM, CHROMIUM_FLAGS, PHONE
from tests.conftest import IN_CI


def on_phone(scenario: Callable, *, bypass_csp: bool = False, timeout: float = 120) -> None:
    """Run `scenario(page)` on a phone-sized page; a CSP violation fails it."""
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium is required in CI and is missing at {CHROMIUM}")
        pytest.skip("Debian chromium is not installed")
    if bypass_csp and not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)")
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                context = browser.new_context(viewport=PHONE, locale="km-KH", bypass_csp=bypass_csp)
                page = context.new_page()
                violations: list[str] = []
                page.on(
                    "console",
                    lambda message: (
                        violations.append(message.text)
                        if "Content Security Policy" in message.text
                        else None
                    ),
                )
                scenario(page)
                assert violations == []
                browser.close()
        except BaseException as error:  # handed to the test's own thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"the browser scenario took more than {timeout} seconds")
    if "error" in outcome:
        raise outcome["error"]
