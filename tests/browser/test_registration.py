"""A newcomer registers a household of four on a 360×640 phone, in Khmer, with
JavaScript off, from sign-in to their SPID; someone surveyed before claims
their record instead."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal import create_app
from tests.conftest import make_test_config
from tests.support.browser import fits_the_screen, sign_in_with_phone
from tests.support.demo_data import load_demo_population

CODE = re.compile(r"\b(\d{6})\b")
MEMBERS = [
    ("ដារា", "បុរស", "ប្រពន្ធ ឬប្តី", ("៣", "៤", "១៩៨២")),
    ("ស្រីមុំ", "ស្ត្រី", "កូនប្រុស ឬកូនស្រី", ("១២", "៦", "២០១៤")),
    ("សុភ័ក្រ", "បុរស", "កូនប្រុស ឬកូនស្រី", ("៥", "១", "២០១៩")),
]


@pytest.fixture
def browser_app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    load_demo_population(app)
    return app


def sign_in(page, live_url, phone: str) -> None:
    sign_in_with_phone(page, live_url, phone, next_path="/register")
    expect(page).to_have_url(re.compile("/register$"))


def next_page(page) -> None:
    page.get_by_role("button", name="បន្ត").click()
    page.wait_for_load_state()


def test_a_household_of_four_registers_without_javascript(page_without_js, live_url):
    page = page_without_js
    sign_in(page, live_url, "០១២ ៣៤៥ ៦៧៨")
    page.get_by_role("link", name="ចាប់ផ្តើម").first.click()

    expect(page.locator("h1")).to_have_text("តើអ្នកឈ្មោះអ្វី (ជាអក្សរខ្មែរ)?")
    page.get_by_label("នាមត្រកូល").fill("សុខ")
    page.get_by_label("នាមខ្លួន").fill("ចាន់ថា")
    assert fits_the_screen(page)
    next_page(page)
    next_page(page)  # no Latin spelling: both left empty
    page.get_by_label("ស្ត្រី").check()
    next_page(page)
    page.get_by_label("ថ្ងៃ", exact=True).fill("១៤")
    page.get_by_label("ខែ", exact=True).fill("៣")
    page.get_by_label("ឆ្នាំ", exact=True).fill("១៩៨៥")
    next_page(page)
    next_page(page)  # no national ID card
    for code in ("12", "1201", "120101", "12010101"):
        page.locator(f'input[name="code"][value="{code}"]').check()
        assert fits_the_screen(page)
        next_page(page)
    page.get_by_label("ទេ", exact=True).check()
    next_page(page)

    expect(page.locator("h1")).to_have_text("តើអ្នកណាខ្លះរស់នៅជាមួយអ្នក?")
    for added, (given, sex, relation, (day, month, year)) in enumerate(MEMBERS):
        page.get_by_role("link", name="បន្ថែមមនុស្សម្នាក់").click()
        page.get_by_label("នាមត្រកូល").fill("សុខ")
        page.get_by_label("នាមខ្លួន").fill(given)
        page.get_by_label(sex, exact=True).check()
        page.get_by_label("ថ្ងៃ", exact=True).fill(day)
        page.get_by_label("ខែ", exact=True).fill(month)
        page.get_by_label("ឆ្នាំ", exact=True).fill(year)
        page.get_by_label(relation, exact=True).check()
        next_page(page)
        expect(page.locator(".members li")).to_have_count(added + 1)
    page.get_by_role("button", name="បានបន្ថែមគ្រប់គ្នាហើយ៖ បន្ត").click()
    page.get_by_label("មាន កម្រិត ២").check()
    page.get_by_label("លេខប័ណ្ណ បើអ្នកមានប័ណ្ណ").fill("KH-0042-17")
    next_page(page)
    page.get_by_label("ខ្ញុំយល់ព្រមឱ្យកត់ត្រា និងប្រើព័ត៌មានគ្រួសាររបស់ខ្ញុំតាមរបៀបនេះ").check()
    next_page(page)

    expect(page.locator("h1")).to_have_text("ពិនិត្យចម្លើយរបស់អ្នក")
    assert "ស្រីមុំ" in page.locator("main").inner_text()
    assert fits_the_screen(page)
    page.get_by_role("button", name="ផ្ញើការចុះឈ្មោះរបស់ខ្ញុំ").click()

    expect(page.locator("h1")).to_have_text("អ្នកបានចុះឈ្មោះរួចហើយ")
    spid = page.locator(".spid").inner_text()
    assert re.fullmatch(r"[០-៩]{3} [០-៩]{3} [០-៩]{3} [០-៩]{2}", spid)
    assert fits_the_screen(page)

    page.get_by_role("link", name="មើលព័ត៌មានរបស់ខ្ញុំ").click()
    expect(page).to_have_url(re.compile("/me$"))
    record = page.locator("main").inner_text()
    assert spid in record
    for given, *_ in MEMBERS:
        assert given in record  # each member, read back from the registry
    assert "ចាន់ថា" in record
    assert fits_the_screen(page)


def test_someone_surveyed_before_claims_their_record(page_without_js, live_url):
    page = page_without_js
    sign_in(page, live_url, "០៩៧ ៧៧៧ ៦៦៥")
    page.get_by_role("link", name="រកព័ត៌មានរបស់ខ្ញុំ").click()
    page.get_by_label("លេខអត្តសញ្ញាណប័ណ្ណ").fill("១២៣៤៥៦៧៨៩")
    page.get_by_label("ថ្ងៃ", exact=True).fill("១៧")
    page.get_by_label("ខែ", exact=True).fill("៥")
    page.get_by_label("ឆ្នាំ", exact=True).fill("១៩៨០")
    page.get_by_role("button", name="រកព័ត៌មានរបស់ខ្ញុំ").click()

    expect(page.locator("h1")).to_have_text("យើងបានរកឃើញព័ត៌មាន")
    assert "CL-" in page.locator(".ref").inner_text()
    assert "៥" in page.locator("main").inner_text()
    assert fits_the_screen(page)
