"""/me and /me/card for the demo citizen, through HTTP: what they show, in
which digits, and that they are only ever about the signed-in person."""

from __future__ import annotations

import re

import pytest

from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.my_record.conftest import demo_citizen_id, grouped, read_person, sign_in, text_of
from tests.support.demo_data import demo_person_id

MY_PAGES = ["/me", "/me/card", "/me/data-access"]
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


@pytest.fixture(scope="module")
def demo(demo_app):
    """The demo citizen signed in (in English), and their record and household."""
    client = demo_app.test_client()
    sign_in(client, demo_app)
    me = read_person(demo_app, demo_citizen_id())
    spouse = read_person(demo_app, demo_person_id(0, 1))
    return client, me, spouse


def test_the_demo_citizen_sees_their_record(demo):
    client, me, spouse = demo
    response = client.get("/me")
    assert response.status_code == 200
    page = text_of(response)
    assert grouped(me["spid"]) in page
    assert "សុខ ដារា" in page and "Sok Dara" in page
    assert "1 January 1980" in page  # date of birth
    assert "100000045" in page  # national ID
    assert "012 000 045" in page
    assert "Phnom Penh" in page and "Chamkar Mon" in page  # where they live, in English
    # the household: each member with their relationship and SPID
    assert "Head of the household" in page and "Husband or wife" in page
    assert "សុខ ស្រីមុំ" in page and grouped(spouse["spid"]) in page
    # the Equity Card, the consent, the application and the complaint
    assert "Equity Card (IDPoor)" in page and "Level 1" in page
    assert "Keep your details in the social protection registry" in page
    assert "You agreed" in page and "15 January 2025" in page
    # household 0's application, only sent so far
    applications = re.search(r"My applications (.*) My complaints", page).group(1)
    assert re.search(r"\bSent\b", applications) and "Received" not in applications
    assert re.search(r"Reference GR-\d{4}-\d{3} \d{3} Received", page)
    body = response.get_data(as_text=True)
    assert 'href="/me/card"' in body and 'href="/me/data-access"' in body
    assert "Switch person" not in page  # one person with this phone


def test_khmer_pages_use_khmer_digits(demo):
    client, me, _spouse = demo
    page = text_of(client.get("/me?lang=km"))
    client.get("/me?lang=en")
    assert grouped(me["spid"]).translate(KHMER_DIGITS) in page
    assert "០១២ ០០០ ០៤៥" in page
    assert "ព័ត៌មានរបស់ខ្ញុំ" in page  # "My record"
    assert grouped(me["spid"]) not in page


def test_the_card_shows_the_name_spid_and_a_qr_code_and_nothing_else(demo):
    client, me, _spouse = demo
    body = client.get("/me/card").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>.*?</svg>", body, re.S).group(0)
    assert 'class="qr"' in svg and 'role="img"' in svg and "viewBox" in svg
    assert "style" not in svg  # the Content-Security-Policy forbids inline styles
    card = re.search(r'<div class="card">.*?</div>', body, re.S).group(0)
    printed = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.replace(svg, "")))
    assert "សុខ ដារា" in printed and "Sok Dara" in printed
    assert grouped(me["spid"]) in printed
    for other in ("012 000 045", "100000045", "1980", "Phnom Penh", "Srey Mom", "Level"):
        assert other not in printed


def test_the_qr_code_is_the_spid_digits():
    import segno

    from portal.my_record.display import qr_svg

    spid = "02715805414"
    drawn = str(qr_svg("027 158 054 14", "t"))
    expected = segno.make(spid, error="m", micro=False)
    assert expected.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", title="t") in (
        drawn.replace('<svg role="img" ', "<svg ")
    )


@pytest.mark.parametrize("path", MY_PAGES)
def test_my_pages_are_never_cached(demo, path):
    client, _me, _spouse = demo
    assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", MY_PAGES)
@pytest.mark.parametrize("language", ["km", "en"])
def test_my_pages_fit_the_first_round_trip(demo, path, language):
    client, _me, _spouse = demo
    weight = measure(client, f"{path}?lang={language}")
    client.get("/me?lang=en")
    assert weight.html_bytes > 500 and weight.asset_bytes > 500
    assert weight.total <= FIRST_ROUND_TRIP_BYTES, weight


@pytest.mark.parametrize("path", MY_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(demo_app, path):
    response = demo_app.test_client().get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_a_citizen_without_a_record_is_sent_to_register(demo_app):
    client = demo_app.test_client()
    sign_in(client, demo_app, phone="012 999 888")  # no one has this number
    for path in MY_PAGES:
        assert client.get(path).location == "/register", path
    assert client.get("/me/choose").location == "/me"  # nothing to choose


def test_guessed_ids_are_ignored_or_not_found(demo):
    """No page takes a person: another demo person's id or SPID in the query or
    the path never shows their record."""
    client, me, spouse = demo
    other = read_person_of_another_household(client)
    for guess in (other["id"], other["spid"], spouse["id"]):
        for query in ("id", "person_id", "spid", "person"):
            for path in MY_PAGES:
                response = client.get(f"{path}?{query}={guess}")
                assert response.status_code == 200
                page = text_of(response)
                assert grouped(me["spid"]) in page or path == "/me/data-access"
                assert grouped(other["spid"]) not in page
        for path in (f"/me/{guess}", f"/me/card/{guess}", f"/me/data-access/{guess}"):
            assert client.get(path).status_code == 404
    assert grouped(me["spid"]) in text_of(client.get("/me/card?spid=" + other["spid"]))


def read_person_of_another_household(client) -> dict:
    app = client.application
    return read_person(app, demo_person_id(3, 0))


def test_the_registry_being_down_gives_the_busy_page(demo, monkeypatch):
    client, _me, _spouse = demo
    persons = registry(client.application).persons

    def unavailable(*args, **kwargs):
        raise RegistryUnavailable("down")

    monkeypatch.setattr(persons, "read", unavailable)
    response = client.get("/me")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_the_header_links_to_my_record_for_a_signed_in_citizen(demo, demo_app):
    client, _me, _spouse = demo
    assert 'href="/me">My record</a>' in client.get("/").get_data(as_text=True)
    assert 'href="/me"' not in demo_app.test_client().get("/?lang=en").get_data(as_text=True)
