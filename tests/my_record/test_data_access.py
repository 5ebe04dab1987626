"""/me/data-access: the registry's access log in plain words, newest first,
page by page; staff are shown by their office, never by their username."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from portal.my_record import access_words
from portal.my_record.services import LOG_PAGE_SIZE
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.my_record.conftest import demo_citizen_id, sign_in, text_of, text_of_html

OFFICER = Actor(actor="officer:sok.vannak", purpose="census check", on_behalf_of=None)


def look_at_the_demo_citizen(app, actor: Actor, times: int = 1) -> None:
    with app.app_context():
        for _ in range(times):
            registry(app).persons.read(demo_citizen_id(), actor=actor)


@pytest.fixture
def signed_in(app):
    client = app.test_client()
    sign_in(client, app)
    return client


def test_the_log_shows_sign_in_and_the_demo_data_in_plain_words(signed_in):
    signed_in.get("/me")
    page = text_of(signed_in.get("/me/data-access"))
    if "Page 1 of 2" in page:
        page += text_of(signed_in.get("/me/data-access?page=2"))
    assert "You looked at your details" in page
    assert "Why: To show you your record" in page
    assert "This portal (automatically) searched for your details" in page
    assert "Why: When you signed in" in page
    assert "The registry's administrators wrote down your details" in page
    assert "system:" not in page and "portal:" not in page and "citizen:" not in page


def test_a_staff_member_is_shown_as_their_office_never_by_username(app, signed_in):
    look_at_the_demo_citizen(app, OFFICER)
    body = signed_in.get("/me/data-access").get_data(as_text=True)
    page = text_of(signed_in.get("/me/data-access"))
    newest = re.search(r'<ol class="plain log">\s*<li>(.*?)</li>', body, re.S).group(1)
    assert "A commune office looked at your details" in text_of_html(newest)
    # a purpose the portal does not know: shown as recorded, marked as such
    assert "Why: “census check” (in the words of the service)" in page
    assert "sok.vannak" not in body and "officer:" not in body


def test_khmer_page_says_when_in_khmer_digits(signed_in):
    page = text_of(signed_in.get("/me/data-access?lang=km"))
    assert "អ្នកណាបានមើលព័ត៌មានរបស់ខ្ញុំ" in page
    assert re.search(r"[០-៩]{1,2} \S+ [០-៩]{4} ម៉ោង [០-៩]{1,2}:[០-៩]{2}", page)
    assert not re.search(r"[0-9]{1,2}:[0-9]{2}", page)


def test_the_log_comes_page_by_page(app, signed_in):
    look_at_the_demo_citizen(app, OFFICER, times=LOG_PAGE_SIZE + 5)
    first = signed_in.get("/me/data-access")
    body = first.get_data(as_text=True)
    assert body.count("<li><strong>") == LOG_PAGE_SIZE
    assert 'href="/me/data-access?page=2" rel="next"' in body
    assert "Page 1 of 2" in text_of(first)
    second = signed_in.get("/me/data-access?page=2").get_data(as_text=True)
    assert 'href="/me/data-access?page=1" rel="prev"' in second
    assert 'rel="next"' not in second
    assert 0 < second.count("<li><strong>") <= LOG_PAGE_SIZE
    # the oldest entry (the demo data being written) is on the last page
    assert "wrote down your details" in second and "wrote down your details" not in body
    assert signed_in.get("/me/data-access?page=២").status_code == 200  # Khmer digits too


@pytest.mark.parametrize(
    "page", ["0", "-1", "3", "abc", "1.5", "99999999999", "9" * 40, "%00", "1e3", "%20"]
)
def test_a_page_that_does_not_exist_is_not_found(signed_in, page):
    assert signed_in.get(f"/me/data-access?page={page}").status_code == 404
    assert signed_in.get("/me/data-access?page=").status_code == 200  # the first page


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("citizen:02715805414", "You"),
        ("citizen:11111111111", "Another person (for example someone in your household)"),
        ("citizen:unregistered", "Someone signing up on this portal (you, if you registered here)"),
        ("portal:sign-in", "This portal (automatically)"),
        ("officer:sok.vannak", "A commune office"),
        ("programme_officer:keo.bopha", "A programme office"),
        ("grievance_handler:ly.thida", "The complaints team"),
        ("grievance_supervisor:mao.rithy", "The complaints team"),
        ("system:seed-demo", "The registry's administrators"),
        ("ministry-of-health:his", "Another government service"),
        ("staff:admin", "A government office"),
        ("ministry:payments", "Another government service"),
        ("no-colon", "Another government service"),
    ],
)
def test_who_by_the_actor_prefix(app, actor, expected):
    with app.test_request_context("/"), force_locale("en"):
        assert access_words.who(actor, own_spid="02715805414") == expected


def test_every_purpose_the_portal_sends_is_in_plain_words(app):
    with app.test_request_context("/"), force_locale("km"):
        for purpose in (
            "citizen sign-in",
            "eligibility check",
            "language choice",
            "registration",
            "duplicate check",
            "my record",
            "change request",
            "record claim",
        ):
            said = access_words.why(purpose)
            assert purpose not in said and re.search("[\u1780-\u17ff]", said), purpose
        assert access_words.did("read") == "បានមើលព័ត៌មានរបស់អ្នក"
        assert "made-up" in access_words.why("made-up")


def test_the_actions_in_plain_words(app):
    with app.test_request_context("/"), force_locale("en"):
        assert access_words.did("read") == "looked at your details"
        assert access_words.did("search") == access_words.did("list") == "searched for your details"
        assert access_words.did("create") == "wrote down your details"
        assert access_words.did("update") == "changed your details"
        assert access_words.did("delete") == "used your details"
