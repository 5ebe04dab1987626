"""A villager reports a problem without an account, in Khmer, JavaScript off,
on a 360×640 screen, and follows it with the reference and the PIN; a handler
of the commune takes it, replies, writes an internal note and decides; the
villager sees the public reply and never the note, and appeals; a supervisor
decides the appeal, and the villager sees the outcome."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal import create_app
from portal.database import db
from portal.staff import services as staff_services
from tests.conftest import make_test_config
from tests.support.browser import fits_the_screen
from tests.support.demo_data import load_demo_population

PASSWORD = "a long enough pass phrase"
HANDLER, SUPERVISOR = "dara.handler", "vanna.supervisor"
COMMUNE = {"province": "12", "district": "1201", "commune": "120101"}
PUBLIC_REPLY = "We asked the payment provider about October."
INTERNAL_NOTE = "Provider's agent in Chamkar Mon suspected: do not tell the reporter."
REFERENCE = re.compile(r"GR-\d{4}-\d{3} \d{3}")
PIN = re.compile(r"^\d{3} \d{3}$")


@pytest.fixture
def browser_app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    load_demo_population(app)
    return app


def _secret(session, username: str) -> str:
    from sqlalchemy import select

    from portal.accounts.models import StaffAccount

    stored = session.scalar(
        select(StaffAccount.totp_secret).where(StaffAccount.username == username)
    )
    return staff_services.opened_totp_secret(stored)


@pytest.fixture
def staff_secrets(browser_app):
    secrets = {}
    with browser_app.app_context(), db.session() as session:
        for username, role, communes in (
            (HANDLER, "grievance_handler", [COMMUNE["commune"]]),
            (SUPERVISOR, "grievance_supervisor", []),
        ):
            staff_services.create_account(
                session,
                username=username,
                name=username.title(),
                role=role,
                communes=communes,
                password=PASSWORD,
                now=staff_services.utcnow(),
            )
            secrets[username] = _secret(session, username)
    return secrets


def km(app, text: str) -> str:
    """The Khmer the page shows for ``text``."""
    with app.test_request_context(), force_locale("km"):
        return gettext(text)


def continue_(app, page) -> None:
    assert fits_the_screen(page)
    page.get_by_role("button", name=km(app, "Continue")).click()


def staff_page(page, live_url: str, app, username: str, secret: str):
    context = page.context.browser.new_context(
        viewport={"width": 360, "height": 640}, locale="km-KH", java_script_enabled=False
    )
    office = context.new_page()
    office.goto(live_url + "/staff/login")
    office.get_by_label("ឈ្មោះអ្នកប្រើ").fill(username)
    office.get_by_label("ពាក្យសម្ងាត់").fill(PASSWORD)
    office.get_by_role("button", name="បន្ត").click()
    office.get_by_label("បញ្ចូលលេខកូដពីកម្មវិធីផ្ទៀងផ្ទាត់របស់អ្នក").fill(pyotp.TOTP(secret).now())
    office.get_by_role("button", name="ចូលគណនី").click()
    expect(office).to_have_url(re.compile(r"/staff/$"))
    return context, office


def act(app, office, button: str, fill: dict[str, str] | None = None, check=()) -> None:
    """Fill one action form of the case page and send it."""
    form = office.locator("form", has=office.get_by_role("button", name=km(app, button)))
    for label, value in (fill or {}).items():
        form.get_by_label(km(app, label)).fill(value)
    for value in check:
        form.locator(f"input[value='{value}']").check()
    form.get_by_role("button", name=km(app, button)).click()
    expect(office.locator("main")).to_be_visible()


def test_report_anonymously_follow_it_to_a_decision_and_appeal(
    page_without_js, live_url, browser_app, staff_secrets
):
    app, page = browser_app, page_without_js

    # Report, without an account, one question a page.
    page.goto(live_url + "/grievances/new")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    page.get_by_role("link", name=km(app, "Start")).click()
    page.locator("input[value='payment']").check()
    continue_(app, page)
    page.get_by_label(km(app, "None, or I do not know")).check()
    continue_(app, page)
    page.locator("textarea").fill("ខ្ញុំមិនទាន់ទទួលបានប្រាក់ខែតុលាទេ។")
    continue_(app, page)
    for level in ("province", "district", "commune"):
        page.locator(f"input[value='{COMMUNE[level]}']").check()
        continue_(app, page)
    page.locator("input[value='anonymous']").check()
    continue_(app, page)
    expect(page.locator("h1")).to_have_text(km(app, "Check your answers"))
    assert fits_the_screen(page)
    page.get_by_role("button", name=km(app, "Send the report")).click()

    shown = [text.strip() for text in page.locator("strong.ref").all_inner_texts()]
    reference = REFERENCE.search(shown[0]).group(0)
    pin = shown[1]
    assert PIN.match(pin), shown
    assert fits_the_screen(page)

    # Follow it on /track with the reference and the PIN.
    page.goto(live_url + "/track")
    page.get_by_label(km(app, "Reference number")).fill(reference)
    page.locator("input[name='proof']").fill(pin.replace(" ", ""))
    page.get_by_role("button", name=km(app, "Find my complaint")).click()
    expect(page.locator("main")).to_contain_text(km(app, "Received"))
    assert fits_the_screen(page)

    # A handler of the commune works it, due date first.
    context, office = staff_page(page, live_url, app, HANDLER, staff_secrets[HANDLER])
    office.goto(live_url + "/backoffice/grievances")
    row = office.locator("li, tr", has_text=reference.translate(_KHMER))
    row.get_by_role("link").first.click()
    expect(office.locator("main")).to_contain_text("ខ្ញុំមិនទាន់ទទួលបានប្រាក់ខែតុលាទេ។")
    act(app, office, "Assign it to me")
    act(app, office, "Send the reply", fill={"Reply": PUBLIC_REPLY})
    act(app, office, "Save the note", fill={"Note": INTERNAL_NOTE})
    act(
        app,
        office,
        "Save the decision",
        fill={"Explanation for the reporter": "The money will come with November's."},
        check=("resolved", "upheld"),
    )
    expect(office.locator("main")).to_contain_text(INTERNAL_NOTE)
    context.close()

    # The villager sees the reply and the decision, never the note; and appeals.
    page.goto(live_url + "/track/case")
    main = page.locator("main").inner_text()
    assert PUBLIC_REPLY in main and "The money will come with November's." in main
    assert INTERNAL_NOTE not in page.content()
    assert km(app, "You were right: it will be put right") in main
    assert fits_the_screen(page)
    page.get_by_role("link", name=km(app, "Appeal to a supervisor")).click()
    page.locator("textarea").fill("I want the money for both months now.")
    page.get_by_role("button", name=km(app, "Send")).click()
    expect(page.locator("main")).to_contain_text(km(app, "Your appeal"))
    appeal_reference = REFERENCE.search(page.locator("main").inner_text().translate(_LATIN))
    assert appeal_reference is not None

    # The appeal goes to a supervisor, who decides it.
    context, office = staff_page(page, live_url, app, SUPERVISOR, staff_secrets[SUPERVISOR])
    office.goto(live_url + "/backoffice/grievances")
    office.locator("li, tr", has_text=km(app, "Appeal")).get_by_role("link").first.click()
    expect(office.locator("main")).to_contain_text("I want the money for both months now.")
    act(
        app,
        office,
        "Save the decision",
        fill={"Explanation for the reporter": "Both months will be paid in December."},
        check=("resolved", "partly_upheld"),
    )
    context.close()

    page.goto(live_url + "/track/case")
    main = page.locator("main").inner_text()
    assert km(app, "You were partly right") in main
    assert INTERNAL_NOTE not in page.content()
    assert fits_the_screen(page)


_LATIN = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_KHMER = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
