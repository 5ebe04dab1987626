"""My record on a 360×640 phone, in Khmer, with JavaScript off: the demo
citizen signs in with the code from /dev/sms and sees /me, the SPID card (one
A6 sheet when printed) and who looked at their data; a family sharing one
phone chooses who is signed in. Any Content-Security-Policy violation fails."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import development_app
from tests.support.browser import fits_the_screen, sign_in_with_phone
from tests.support.demo_data import (
    DEMO_CITIZEN_PHONE,
    SHARED_PHONE,
    load_demo_population,
)

KHMER_SPID = re.compile(r"^[០-៩]{3} [០-៩]{3} [០-៩]{3} [០-៩]{2}$")
A6_POINTS = (298, 420)  # 105 × 148 mm


@pytest.fixture
def browser_app(tmp_path):
    app = development_app(tmp_path)
    load_demo_population(app)
    return app


def test_the_demo_citizen_sees_their_record_card_and_data_access(page_without_js, live_url):
    page = page_without_js
    sign_in_with_phone(page, live_url, DEMO_CITIZEN_PHONE)
    expect(page).to_have_url(live_url + "/")
    header = page.locator("header")
    expect(header.get_by_role("link", name="ព័ត៌មានរបស់ខ្ញុំ")).to_be_visible()
    expect(header.get_by_role("button", name="ចាកចេញ")).to_be_visible()
    assert fits_the_screen(page)

    header.get_by_role("link", name="ព័ត៌មានរបស់ខ្ញុំ").click()
    expect(page).to_have_url(live_url + "/me")
    expect(page.locator("h1")).to_have_text("ព័ត៌មានរបស់ខ្ញុំ")
    expect(page.locator(".spid-box .spid")).to_have_text(KHMER_SPID)
    expect(page.get_by_text("សុខ ស្រីមុំ")).to_be_visible()  # the spouse, in the household
    assert fits_the_screen(page)

    page.get_by_role("link", name="មើល និងបោះពុម្ពប័ណ្ណ SPID របស់អ្នក").first.click()
    expect(page).to_have_url(live_url + "/me/card")
    expect(page.locator(".card .spid")).to_have_text(KHMER_SPID)
    expect(page.get_by_role("img", name="កូដ QR នៃលេខ SPID របស់អ្នក")).to_be_visible()
    assert fits_the_screen(page)
    assert_prints_on_one_a6_sheet(page)
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator(".card")).to_be_visible()
    page.emulate_media(media="screen")

    page.goto(live_url + "/me")
    page.get_by_role("link", name="អ្នកណាបានមើលព័ត៌មានរបស់ខ្ញុំ").click()
    expect(page).to_have_url(live_url + "/me/data-access")
    log = page.locator("ol.log")
    expect(log.get_by_text("អ្នក បានមើលព័ត៌មានរបស់អ្នក").first).to_be_visible()
    expect(log.get_by_text("គេហទំព័រនេះ (ដោយស្វ័យប្រវត្តិ) បានស្វែងរកព័ត៌មានរបស់អ្នក")).to_be_visible()
    assert re.search(r"ម៉ោង [០-៩]{1,2}:[០-៩]{2}", log.inner_text())
    assert fits_the_screen(page)


def assert_prints_on_one_a6_sheet(page) -> None:
    """Chromium's own PDF of the page, as it would print: one page, A6. (Call
    it before any `emulate_media`: the PDF is made with the media emulated.)"""
    pdf = page.pdf(prefer_css_page_size=True)
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    boxes = {
        tuple(round(float(number)) for number in box.split()[2:])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)
    }
    assert len(pages) == 1, (len(pages), boxes)
    assert boxes == {A6_POINTS}, boxes


def test_a_family_sharing_a_phone_chooses_who_is_signed_in(page_without_js, live_url):
    page = page_without_js
    sign_in_with_phone(page, live_url, SHARED_PHONE)
    expect(page).to_have_url(live_url + "/me/choose")
    expect(page.locator("h1")).to_have_text("តើអ្នកជានរណា?")
    mother = page.get_by_label(re.compile(r"^យឹម ស្រីមុំ កើតឆ្នាំ ១៩៥០"))
    son = page.get_by_label(re.compile(r"^យឹម សំណាង កើតឆ្នាំ ១៩៧៩"))
    expect(mother).to_be_visible()
    expect(son).to_be_visible()
    expect(page.get_by_label("ខ្ញុំជាមនុស្សផ្សេង")).to_be_visible()
    assert fits_the_screen(page)

    son.check()
    page.get_by_role("button", name="បន្ត").click()
    expect(page).to_have_url(live_url + "/me")
    expect(page.get_by_text("ឥឡូវនេះ អ្នកកំពុងប្រើគេហទំព័រ ក្នុងនាម យឹម សំណាង។")).to_be_visible()

    page.get_by_role("link", name="ប្តូរទៅមនុស្សផ្សេង").click()
    expect(page).to_have_url(live_url + "/me/choose")
    expect(son).to_be_checked()
    mother.check()
    page.get_by_role("button", name="បន្ត").click()
    expect(page).to_have_url(live_url + "/me")
    expect(page.get_by_text("ឆ្នាំ ១៩៥០ (ដឹងតែឆ្នាំ)")).to_be_visible()
    assert fits_the_screen(page)
