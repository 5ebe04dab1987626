"""A commune officer helps a walk-in villager, in Khmer, with JavaScript off, on
a phone-sized screen and on an office screen: finds her by a Khmer name typed
with a zero-width space and the other coeng, opens her record with a purpose,
acts for her with her consent, registers her newborn by a change request,
applies for the pregnancy and early childhood cash for her, and ends. The back
button then shows nothing of her; she signs in on her own phone and sees the
commune office in her access log and the application in her list."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal import create_app, gazetteer
from portal.database import db
from portal.registry.server import seed
from portal.staff import services as staff_services
from tests.conftest import make_test_config
from tests.support.browser import page_width, sign_in_with_phone
from tests.support.demo_data import load_demo_population

PASSWORD = "a long enough pass phrase"
OFFICER = "chenda.officer"
# Household 1's mother (portal/registry/server/seed.py): ចាន់ ចិន្តា, written
# with coeng TA; typed here with a zero-width space and coeng DA.
TYPED_NAME = "ចាន់\u200bចិន្ដា"
SHOWN_NAME = "ចាន់ ចិន្តា"
MOTHER_PHONE = "០១៣ ០០១ ០៤១"
COMMUNE = seed._village(1)[:6]
CONTINUE = "បន្ត"
SCREENS = {"phone": {"width": 360, "height": 640}, "office": {"width": 1280, "height": 800}}


@pytest.fixture
def browser_app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development", SMS_RATE="1000/second"))
    load_demo_population(app)
    with app.app_context(), db.session() as session:
        staff_services.create_account(
            session,
            username=OFFICER,
            name="Chenda Officer",
            role="officer",
            communes=[COMMUNE],
            password=PASSWORD,
            now=staff_services.utcnow(),
        )
    return app


def _secret(app) -> str:
    from sqlalchemy import select

    from portal.accounts.models import StaffAccount

    with app.app_context(), db.session() as session:
        stored = session.scalar(
            select(StaffAccount.totp_secret).where(StaffAccount.username == OFFICER)
        )
        return staff_services.opened_totp_secret(stored)


def km(app, text: str) -> str:
    """The Khmer the page shows for ``text``."""
    with app.test_request_context(), force_locale("km"):
        return gettext(text)


def choose(page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name=CONTINUE).click()


def sign_in_as_officer(app, page, live_url: str) -> None:
    page.goto(live_url + "/staff/login")
    page.get_by_label("ឈ្មោះអ្នកប្រើ").fill(OFFICER)
    page.get_by_label("ពាក្យសម្ងាត់").fill(PASSWORD)
    page.get_by_role("button", name="បន្ត").click()
    page.get_by_label("បញ្ចូលលេខកូដពីកម្មវិធីផ្ទៀងផ្ទាត់របស់អ្នក").fill(pyotp.TOTP(_secret(app)).now())
    page.get_by_role("button", name="ចូលគណនី").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def find_and_act_for_her(app, page, live_url: str) -> None:
    page.goto(live_url + "/officer")
    page.get_by_label(km(app, "Name, SPID, phone number, national ID or household number")).fill(
        TYPED_NAME
    )
    page.get_by_role("button", name=km(app, "Search")).click()
    found = page.locator(".found li", has_text=SHOWN_NAME)
    expect(found).to_have_count(1)
    assert "?" not in page.url and "ចាន់" not in page.url  # nothing personal in the address
    found.get_by_role("button").click()

    expect(page.locator("h1")).to_have_text(km(app, "Why are you opening this record?"))
    choose_purpose = km(app, "The person came to the office for help")
    page.get_by_label(choose_purpose).check()
    page.get_by_role("button", name=km(app, "Open the record")).click()
    expect(page.locator("h1")).to_have_text(SHOWN_NAME)

    page.get_by_role("link", name=km(app, "Act for this person")).click()
    page.get_by_label(km(app, "They agreed in person, here at the office")).check()
    page.get_by_role("button", name=km(app, "Start acting for them")).click()
    expect(page.locator(".acting")).to_contain_text(SHOWN_NAME)


def register_her_newborn(app, page, live_url: str) -> None:
    page.goto(live_url + "/me/changes/new")
    choose(page, km(app, "A baby was born in our household"))
    page.get_by_label(km(app, "Surname in Khmer")).fill("ចាន់")
    page.get_by_label(km(app, "Given name in Khmer")).fill("សុភ័ក្រ")
    page.get_by_role("button", name=CONTINUE).click()
    choose(page, km(app, "Boy"))
    page.get_by_label("ថ្ងៃ", exact=True).fill("១")
    page.get_by_label("ខែ", exact=True).fill("១០")
    page.get_by_label("ឆ្នាំ", exact=True).fill("២០២៦")
    page.get_by_role("button", name=CONTINUE).click()
    choose(page, km(app, "Child of the head of the household"))
    page.get_by_role("button", name=CONTINUE).click()  # nothing else to say
    expect(page.locator("h1")).to_have_text("ពិនិត្យចម្លើយរបស់អ្នក")
    expect(page.locator(".acting")).to_contain_text(SHOWN_NAME)
    page.get_by_role("button", name="ផ្ញើសំណើ").click()
    expect(page.locator(".ref")).to_contain_text("CR-២០")


def apply_for_her(app, page, live_url: str) -> str:
    page.goto(live_url + "/applications/new/pregnancy_child_cash")
    page.get_by_role("link", name="ចាប់ផ្តើមដាក់ពាក្យ").click()
    for _ in range(6):
        if page.locator("h1").inner_text() == "ឯកសារ និងសេចក្តីប្រកាស":
            break
        if page.get_by_label("ថ្ងៃ", exact=True).count():
            page.get_by_label("ថ្ងៃ", exact=True).fill("១៥")
            page.get_by_label("ខែ", exact=True).fill("៦")
            page.get_by_label("ឆ្នាំ", exact=True).fill("២០២៧")
        else:
            page.get_by_role("radio").first.check()
        page.get_by_role("button", name=CONTINUE).click()
    expect(page.locator("h1")).to_have_text("ឯកសារ និងសេចក្តីប្រកាស")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=CONTINUE).click()
    expect(page.locator("h1")).to_have_text("ពិនិត្យចម្លើយរបស់អ្នក")
    page.get_by_role("button", name="ផ្ញើពាក្យស្នើសុំ").click()
    shown = re.search(r"AP-\S+ \S+", page.locator("main").inner_text()).group(0)
    assert shown.startswith("AP-២០")
    return shown


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_helps_a_villager_who_then_sees_it(browser, live_url, browser_app, screen):
    app = browser_app
    context = browser.new_context(
        viewport=SCREENS[screen], locale="km-KH", java_script_enabled=False
    )
    page = context.new_page()
    sign_in_as_officer(app, page, live_url)
    find_and_act_for_her(app, page, live_url)
    assert page_width(page) <= SCREENS[screen]["width"]
    register_her_newborn(app, page, live_url)
    assert page_width(page) <= SCREENS[screen]["width"]
    reference = apply_for_her(app, page, live_url)
    assert page_width(page) <= SCREENS[screen]["width"]

    # End: nothing of her stays, and the back button shows nothing personal.
    page.locator(".acting").get_by_role("button", name=km(app, "End")).click()
    expect(page).to_have_url(re.compile(r"/officer$"))
    expect(page.locator(".acting")).to_have_count(0)
    page.go_back()
    page.wait_for_load_state("load")
    assert "ចិន្តា" not in page.content() and reference not in page.content()
    context.close()

    # She signs in on her own phone.
    own = browser.new_context(viewport=SCREENS["phone"], locale="km-KH", java_script_enabled=False)
    phone = own.new_page()
    sign_in_with_phone(phone, live_url, MOTHER_PHONE)
    phone.goto(live_url + "/me/data-access")
    office = gazetteer.commune(COMMUNE).name_km
    expect(phone.locator("main")).to_contain_text(office)
    phone.goto(live_url + "/applications")
    expect(phone.locator("main")).to_contain_text(reference)
    phone.goto(live_url + "/me/changes")
    expect(phone.locator("main")).to_contain_text(km(app, "A baby was born"))
    own.close()
