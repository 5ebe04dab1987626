"""A registered demo citizen applies for the pregnancy and early childhood
cash from the screener's results, in Khmer, JavaScript off, on a 360×640
screen; a programme officer approves it and records a payment in the back
office; the citizen's timeline then shows both, the amount in Khmer digits,
and a text message came for each step."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from portal import create_app
from portal.database import db
from portal.notifications.models import DevTextMessage
from portal.staff import services as staff_services
from tests.conftest import make_test_config
from tests.support.browser import fits_the_screen, sign_in_with_phone
from tests.support.demo_data import load_demo_population

CONTINUE = "បន្ត"
# Household 0's mother: a woman of 41 in a household with a valid, verified
# Level 1 Equity Card and no child yet (portal/registry/server/seed.py).
MOTHER_PHONE = "០១៣ ០០០ ០៤១"
OFFICER = "dara.programme"
LATIN_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
PASSWORD = "a long enough pass phrase"


@pytest.fixture
def browser_app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    load_demo_population(app)
    return app


@pytest.fixture
def officer_secret(browser_app):
    with browser_app.app_context(), db.session() as session:
        staff_services.create_account(
            session,
            username=OFFICER,
            name="Dara",
            role="programme_officer",
            communes=[],
            programmes=["pregnancy_child_cash"],
            password=PASSWORD,
            now=staff_services.utcnow(),
        )
        return _totp_secret(session)


def _totp_secret(session) -> str:
    from sqlalchemy import select

    from portal.accounts.models import StaffAccount

    stored = session.scalar(
        select(StaffAccount.totp_secret).where(StaffAccount.username == OFFICER)
    )
    return staff_services.opened_totp_secret(stored)


def texts_to(app, e164: str) -> list[str]:
    with app.app_context(), db.session() as session:
        from sqlalchemy import select

        rows = session.scalars(
            select(DevTextMessage).where(DevTextMessage.to == e164).order_by(DevTextMessage.id)
        )
        return [row.text for row in rows]


def test_apply_from_the_screener_then_decided_and_paid(
    page_without_js, live_url, browser_app, officer_secret
):
    page = page_without_js
    sign_in_with_phone(page, live_url, MOTHER_PHONE)

    # The screener: the registry's facts are not asked; the rest is.
    page.goto(live_url + "/eligibility")
    page.get_by_role("link", name="ចាប់ផ្តើមឥឡូវនេះ").click()
    for _ in range(20):
        heading = page.locator("h1").inner_text()
        if heading == "ពិនិត្យចម្លើយរបស់អ្នក":
            break
        assert "ថ្ងៃខែឆ្នាំកំណើត" not in heading and "ប័ណ្ណសមធម៌" not in heading
        if heading == "តើអ្នកមានផ្ទៃពោះទេ?":
            page.get_by_label("បាទ/ចាស", exact=True).check()
            page.get_by_role("button", name=CONTINUE).click()
        else:
            page.get_by_role("button", name="ខ្ញុំមិនដឹងទេ").click()
    page.get_by_role("link", name="មើលថាអ្នកអាចទទួលបានអ្វីខ្លះ").click()
    assert fits_the_screen(page)

    page.get_by_role("link", name=re.compile("^ដាក់ពាក្យ ប្រាក់ជំនួយស្ត្រីមានផ្ទៃពោះ")).click()
    expect(page.locator("h1")).to_contain_text("ប្រាក់ជំនួយស្ត្រីមានផ្ទៃពោះ")
    assert fits_the_screen(page)
    page.get_by_role("link", name="ចាប់ផ្តើមដាក់ពាក្យ").click()

    # Only what the registry lacks: for whom (if asked), then the expected date.
    for _ in range(6):
        if page.locator("h1").inner_text() == "ឯកសារ និងសេចក្តីប្រកាស":
            break
        if page.get_by_label("ថ្ងៃ", exact=True).count():
            page.get_by_label("ថ្ងៃ", exact=True).fill("១៥")
            page.get_by_label("ខែ", exact=True).fill("៦")
            page.get_by_label("ឆ្នាំ", exact=True).fill(_next_year_digits())
        else:
            page.get_by_role("radio").first.check()
        assert fits_the_screen(page)
        page.get_by_role("button", name=CONTINUE).click()
    expect(page.locator("h1")).to_have_text("ឯកសារ និងសេចក្តីប្រកាស")
    expect(page.locator("main")).to_contain_text("អត្តសញ្ញាណប័ណ្ណ")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=CONTINUE).click()

    expect(page.locator("h1")).to_have_text("ពិនិត្យចម្លើយរបស់អ្នក")
    assert fits_the_screen(page)
    page.get_by_role("button", name="ផ្ញើពាក្យស្នើសុំ").click()

    panel = page.locator("main").inner_text()
    shown = re.search(r"AP-\d{4}-\d{3} \d{3}", panel).group(0)  # in Khmer digits
    assert shown.startswith("AP-២០")
    reference = shown.translate(LATIN_DIGITS)
    texts = texts_to(browser_app, "+85513000041")[1:]  # after the sign-in code
    assert len(texts) == 1 and reference in texts[0], texts

    # The programme officer decides it in the back office, also in Khmer.
    staff = page.context.browser.new_context(
        viewport={"width": 360, "height": 640}, locale="km-KH", java_script_enabled=False
    )
    office = staff.new_page()
    office.goto(live_url + "/staff/login")
    office.get_by_label("ឈ្មោះអ្នកប្រើ").fill(OFFICER)
    office.get_by_label("ពាក្យសម្ងាត់").fill(PASSWORD)
    office.get_by_role("button", name=CONTINUE).click()
    office.get_by_label("បញ្ចូលលេខកូដពីកម្មវិធីផ្ទៀងផ្ទាត់របស់អ្នក").fill(pyotp.TOTP(officer_secret).now())
    office.get_by_role("button", name="ចូលគណនី").click()
    office.goto(live_url + "/backoffice/applications")
    office.get_by_role("link", name=re.compile(re.escape(shown))).click()
    office.get_by_role("button", name="បានពិនិត្យឯកសាររួច").click()
    office.get_by_role("button", name="អនុម័តពាក្យស្នើសុំ").click()
    payment = office.locator("form", has=office.get_by_role("button", name="កត់ត្រាការបើកប្រាក់"))
    payment.get_by_label("ថ្ងៃ", exact=True).fill("1")
    payment.get_by_label("ខែ", exact=True).fill("11")
    payment.get_by_label("ឆ្នាំ", exact=True).fill("2026")
    payment.get_by_label("ខែដែលបើកប្រាក់ឱ្យ").select_option(index=10)
    payment.get_by_label("ឆ្នាំដែលបើកប្រាក់ឱ្យ").fill("2026")
    payment.get_by_label("ចំនួនទឹកប្រាក់ (រៀល)").fill("80000")
    payment.get_by_role("button", name="កត់ត្រាការបើកប្រាក់").click()
    expect(office.locator("main")).to_contain_text("៨០,០០០")
    staff.close()
    texts = texts_to(browser_app, "+85513000041")[2:]
    # documents checked; approved; enrolled; the payment: one message each
    assert len(texts) == 4, texts
    assert all(reference in text for text in texts)
    assert "៨០,០០០" in texts[-1]

    page.goto(live_url + "/applications")
    page.locator("li", has_text=shown).get_by_role("link").click()
    main = page.locator("main").inner_text()
    assert "បានអនុម័ត" in main
    assert "៨០,០០០៛" in main
    assert fits_the_screen(page)


def _next_year_digits() -> str:
    import datetime as dt

    year = dt.date.today().year + (1 if dt.date.today().month > 5 else 0)
    return str(year).translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
