"""The demo citizen tells us they moved house, in Khmer, JavaScript off, on a
360×640 screen: province, district, commune and village one a page, check,
send; the request is on their list."""

import pytest
from playwright.sync_api import expect

from portal import create_app, gazetteer
from portal.registry.server.seed import demo_id
from tests.conftest import make_test_config
from tests.support.browser import axe_violations, fits_the_screen, sign_in_with_phone
from tests.support.demo_data import load_demo_population

CONTINUE = "បន្ត"


@pytest.fixture
def browser_app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    load_demo_population(app)
    return app


def sign_in(page, live_url: str) -> None:
    sign_in_with_phone(page, live_url, "០១២ ០០០ ០៤៥")


def choose(page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name=CONTINUE).click()


def test_the_demo_citizen_asks_for_a_moved_house_change_in_khmer(page_without_js, live_url):
    page = page_without_js
    sign_in(page, live_url)
    page.goto(live_url + "/me/changes")
    expect(page.locator("h1")).to_have_text("ការកែប្រែព័ត៌មានរបស់អ្នក")
    page.get_by_role("link", name="ស្នើសុំកែប្រែ").click()

    expect(page.locator("h1")).to_have_text("តើមានអ្វីផ្លាស់ប្តូរ?")
    assert fits_the_screen(page)
    choose(page, "យើងបានផ្លាស់ទីលំនៅ")

    district = gazetteer.districts("17")[0]
    commune = gazetteer.communes(district.code)[0]
    village = gazetteer.villages(commune.code)[0]
    expect(page.locator("h1")).to_have_text("ឥឡូវនេះ តើអ្នករស់នៅខេត្ត-រាជធានីណា?")
    choose(page, gazetteer.province("17").name_km)
    expect(page.locator("h1")).to_have_text("ឥឡូវនេះ តើអ្នករស់នៅស្រុក-ខណ្ឌណា?")
    choose(page, district.name_km)
    choose(page, commune.name_km)
    expect(page.locator("h1")).to_have_text("ឥឡូវនេះ តើអ្នករស់នៅភូមិណា?")
    assert fits_the_screen(page)
    choose(page, village.name_km)

    page.get_by_label("តើមានអ្វីផ្សេងទៀតដែលយើងគួរដឹងទេ? (មិនចាំបាច់)").fill("ផ្លាស់ទៅនៅជាមួយឪពុកម្តាយ")
    page.get_by_role("button", name=CONTINUE).click()

    expect(page.locator("h1")).to_have_text("ពិនិត្យចម្លើយរបស់អ្នក")
    expect(page.locator("main")).to_contain_text(village.name_km)
    expect(page.locator("main")).to_contain_text("លិខិតពីមេភូមិថ្មីរបស់អ្នក")
    assert fits_the_screen(page)
    page.get_by_role("button", name="ផ្ញើសំណើ").click()

    expect(page.locator("h1")).to_have_text("បានទទួលសំណើ៖ ផ្លាស់ទីលំនៅ")
    expect(page.locator(".ref")).to_contain_text("CR-២០")
    page.get_by_role("link", name="មើលសំណើកែប្រែរបស់អ្នក").click()

    expect(page.locator("h1")).to_have_text("ការកែប្រែព័ត៌មានរបស់អ្នក")
    first = page.locator(".chg li").first
    expect(first).to_contain_text("ផ្លាស់ទីលំនៅ")
    expect(first).to_contain_text("បានទទួល")
    assert fits_the_screen(page)
    first.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(village.name_km)


def test_the_change_pages_have_no_serious_accessibility_violations(axe_page, live_url):
    page = axe_page
    sign_in(page, live_url)
    for path in ("/me/changes", f"/me/changes/{demo_id('change-request-0')}", "/me/changes/new"):
        page.goto(live_url + path)
        assert axe_violations(page) == [], path
    page.get_by_role("button", name=CONTINUE).click()  # nothing chosen: the error summary
    assert axe_violations(page) == []
    choose(page, "យើងបានផ្លាស់ទីលំនៅ")
    expect(page.locator("h1")).to_have_text("ឥឡូវនេះ តើអ្នករស់នៅខេត្ត-រាជធានីណា?")
    assert axe_violations(page) == []
