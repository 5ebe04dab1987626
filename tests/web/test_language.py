"""Khmer first: how the page language is chosen, and the switch on every page."""

import re


def html_lang(response) -> str:
    return re.search(r'<html lang="(\w+)"', response.get_data(as_text=True)).group(1)


def test_no_headers_gives_khmer_home(client):
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "km"
    assert response.headers["Content-Language"] == "km"
    assert "ការគាំពារសង្គម" in response.get_data(as_text=True)


def test_explicit_lang_is_used_and_remembered(client):
    assert html_lang(client.get("/?lang=en")) == "en"
    assert html_lang(client.get("/about/data")) == "en"
    assert html_lang(client.get("/about/data?lang=km")) == "km"
    assert html_lang(client.get("/")) == "km"


def test_accept_language_english(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "en"


def test_accept_language_other_than_khmer_or_english_falls_back_to_khmer(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "fr-FR,th;q=0.8"})) == "km"


def test_unknown_lang_parameter_is_ignored(client):
    assert html_lang(client.get("/?lang=xx", headers={"Accept-Language": "en"})) == "en"


def test_language_switch_names_each_language_in_itself(client):
    body = client.get("/about/data").get_data(as_text=True)
    assert '<span lang="km" aria-current="true">ខ្មែរ</span>' in body
    assert '<a href="/about/data?lang=en" lang="en" hreflang="en">English</a>' in body
    english = client.get("/about/data?lang=en").get_data(as_text=True)
    assert '<a href="/about/data?lang=km" lang="km" hreflang="km">ខ្មែរ</a>' in english


def test_not_found_page_is_khmer(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert html_lang(response) == "km"
    assert "រកមិនឃើញ" in response.get_data(as_text=True)
