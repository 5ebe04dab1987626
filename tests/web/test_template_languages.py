"""Templates are compiled once per language with their texts translated in
advance; what a page says must be exactly what gettext would have said."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale, gettext

LANGUAGES = ("km", "en")


def compiled(app, source: str, language: str):
    """`source` compiled as a template of the portal in `language`."""
    environment = app.jinja_env
    code = environment.compile(source, name=f"{language}:probe.html")
    return environment.template_class.from_code(environment, code, environment.make_globals(None))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_literal_text_is_what_gettext_says(app, language):
    with app.test_request_context(f"/?lang={language}"):
        with force_locale(language):
            expected = gettext("Skip to main content")
        page = compiled(app, '{{ _("Skip to main content") }}', language).render()
    assert page == expected
    assert (page != "Skip to main content") is (language == "km")


def test_values_are_escaped_and_the_text_is_not(app):
    source = '{{ _("%(event)s:", event=value) }} {{ _("Sign in") }}'
    with app.test_request_context("/?lang=en"):
        page = compiled(app, source, "en").render(value="<b>&")
    assert page == "&lt;b&gt;&amp;: Sign in"


def test_a_text_without_values_is_formatted_like_gettext_formats_it(app):
    with app.test_request_context("/?lang=en"):
        page = compiled(app, '{{ _("100%% free") }}', "en").render()
    assert page == "100% free"


def test_a_text_that_is_not_a_literal_is_translated_at_run_time(app):
    source = '{% set text = "Sign in" %}{{ _(text) }} {{ current_language() }}'
    with app.test_request_context("/?lang=km"):
        with force_locale("km"):
            expected = gettext("Sign in")
        page = compiled(app, source, "km").render()
    assert page == f"{expected} km"


def test_a_page_and_its_layout_come_in_the_page_language(app):
    for language in LANGUAGES:
        with app.test_request_context(f"/?lang={language}"):
            app.preprocess_request()
            html = render_template("pages/home.html")
            loaded = sorted(name for (_loader, name), _ in app.jinja_env.cache.items())
        assert f'<html lang="{language}">' in html
        assert f"{language}:layout.html" in loaded
        assert f"{language}:pages/home.html" in loaded
