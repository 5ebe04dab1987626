"""/me/data-access when a commune officer acted at the commune office: the
office is named by its commune in the page's language (never the officer's
username), and the officer pages' purposes are said in plain words."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from portal.my_record import access_words
from portal.registry.client import Actor
from portal.registry_access import registry
from tests.my_record.conftest import demo_citizen_id, read_person, sign_in, text_of

USERNAME = "sok.vannak"
TONLE_BASAK = "120101"  # Phnom Penh: ទន្លេបាសាក់, Tonle Basak
BANTEAY_NEANG = "010201"  # Banteay Meanchey: បន្ទាយនាង, Banteay Neang


def officer_reads_the_demo_citizen(app, actor: str, purpose: str) -> None:
    with app.app_context():
        spid = read_person(app, demo_citizen_id())["spid"]
        acting = Actor(actor=actor, purpose=purpose, on_behalf_of=spid)
        registry(app).persons.read(demo_citizen_id(), actor=acting)


@pytest.fixture
def signed_in(app):
    client = app.test_client()
    sign_in(client, app)
    return client


@pytest.mark.parametrize(
    ("code", "english", "khmer"),
    [
        (TONLE_BASAK, "The commune office of Tonle Basak", "សាលាឃុំ-សង្កាត់ ទន្លេបាសាក់"),
        (BANTEAY_NEANG, "The commune office of Banteay Neang", "សាលាឃុំ-សង្កាត់ បន្ទាយនាង"),
    ],
)
def test_the_office_is_named_by_its_commune_never_the_username(
    app, signed_in, code, english, khmer
):
    officer_reads_the_demo_citizen(app, f"officer:{USERNAME}@{code}", "walk-in help")
    english_body = signed_in.get("/me/data-access?lang=en").get_data(as_text=True)
    page = text_of(signed_in.get("/me/data-access?lang=en"))
    assert f"{english} looked at your details" in page
    assert "Why: You came to the commune office for help" in page
    khmer_body = signed_in.get("/me/data-access?lang=km").get_data(as_text=True)
    page = text_of(signed_in.get("/me/data-access?lang=km"))
    assert f"{khmer} បានមើលព័ត៌មានរបស់អ្នក" in page
    assert "អ្នកបានមកសុំជំនួយនៅសាលាឃុំ-សង្កាត់" in page
    for body in (english_body, khmer_body):
        assert USERNAME not in body and "officer:" not in body and code not in body


@pytest.mark.parametrize(
    ("purpose", "english", "khmer"),
    [
        ("officer search", "To find you at the commune office", "ដើម្បីស្វែងរកព័ត៌មានរបស់អ្នក"),
        ("walk-in help", "You came to the commune office for help", "អ្នកបានមកសុំជំនួយ"),
        ("home visit", "For a home visit", "សម្រាប់ការចុះមកជួបអ្នកដល់ផ្ទះ"),
        ("follow-up", "To follow up on your case", "ដើម្បីតាមដានករណីរបស់អ្នក"),
        (
            "assisted service",
            "To record that you agreed to be helped at the commune office",
            "ដើម្បីកត់ត្រាថា អ្នកបានយល់ព្រមឱ្យសាលាឃុំ-សង្កាត់ជួយអ្នក",
        ),
        ("consent", "About your consent", "អំពីការយល់ព្រមរបស់អ្នក"),
    ],
)
def test_the_officer_pages_purposes_in_plain_words(app, signed_in, purpose, english, khmer):
    officer_reads_the_demo_citizen(app, f"officer:{USERNAME}@{TONLE_BASAK}", purpose)
    page = text_of(signed_in.get("/me/data-access?lang=en"))
    assert f"Why: {english}" in page
    assert "in the words of the service" not in page.split(english)[0]  # the newest is known
    assert khmer in text_of(signed_in.get("/me/data-access?lang=km"))


@pytest.mark.parametrize(
    "actor",
    [
        f"officer:{USERNAME}",  # a back-office action, not at the commune office
        f"officer:{USERNAME}@",
        f"officer:{USERNAME}@999999",  # no such commune
        f"officer:{USERNAME}@1201",  # a district, not a commune
        f"officer:{USERNAME}@12010101",  # a village
        f"officer:{USERNAME}@١٢٠١٠١",  # digits of another script
        f"officer:{USERNAME}@12o101",
    ],
)
def test_without_a_valid_commune_it_is_a_commune_office(app, actor):
    with app.test_request_context("/"):
        with force_locale("en"):
            assert access_words.who(actor, own_spid=None) == "A commune office"
        with force_locale("km"):
            assert access_words.who(actor, own_spid=None) == "សាលាឃុំ-សង្កាត់"


def test_an_at_sign_in_the_username_does_not_show_it(app):
    with app.test_request_context("/"), force_locale("en"):
        said = access_words.who(f"officer:sok@vannak@{TONLE_BASAK}", own_spid=None)
    assert said == "The commune office of Tonle Basak"


def test_other_staff_are_not_named_by_a_commune(app):
    with app.test_request_context("/"), force_locale("en"):
        said = access_words.who(f"programme_officer:keo.bopha@{TONLE_BASAK}", own_spid=None)
    assert said == "A programme office"
