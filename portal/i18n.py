"""Language choice and the Jinja filters that print numbers, dates, money and
phone numbers the way a Khmer or English reader expects.

Babel never prints Khmer digits, so numbers are formatted with Babel and the
digits mapped to ០-៩ on Khmer pages.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache

import phonenumbers
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from flask import Flask, Response, current_app, g, has_app_context, request, session, url_for
from flask_babel import Babel, Domain, format_datetime, get_locale, gettext
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from portal.khmer import readable_reference, spid_groups, to_khmer_digits

LANGUAGES = ("km", "en")
DEFAULT_LANGUAGE = "km"
LOCALES = {language: Locale.parse(language) for language in LANGUAGES}
# A page differs by the browser's languages and by the session (a chosen language).
PAGE_VARY = ("Accept-Language", "Cookie")
# Each language named in itself, for the language switch.
LANGUAGE_NAMES = {"km": "ខ្មែរ", "en": "English"}


class RequestDomain(Domain):
    """Flask-Babel's message domain, finding the catalogue once per request and
    language rather than again for every string (a page has dozens). Each app
    keeps its own catalogues: apps may read them from different folders."""

    def get_translations_cache(self, ctx) -> dict:
        return current_app.extensions.setdefault("babel_translations", {})

    def get_translations(self) -> Translations | NullTranslations:
        if not has_app_context():
            return super().get_translations()
        locale = get_locale()
        cached = g.get("_catalogue")
        if cached is None or cached[0] is not locale:  # force_locale() changes it
            cached = g._catalogue = (locale, super().get_translations())
        return cached[1]


class PortalBabel(Babel):
    """Flask-Babel with the RequestDomain, in Python code and templates alike."""

    @cached_property
    def domain_instance(self) -> RequestDomain:
        return RequestDomain(domain=self.domain)

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)

        def translations() -> Translations | NullTranslations:
            return self.domain_instance.get_translations()

        app.jinja_env.install_gettext_callables(
            gettext=lambda s: translations().ugettext(s),
            ngettext=lambda s, p, n: translations().ungettext(s, p, n),
            pgettext=lambda c, s: translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
            newstyle=True,
        )


def select_locale() -> Locale:
    """Explicit ?lang= (remembered in the session) → remembered → Accept-Language → km.

    Gives Babel's Locale, parsed once per process: Flask-Babel would otherwise
    parse the language code again on every request."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return LOCALES[asked]
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return LOCALES[remembered]
    return LOCALES[browser_language(request.environ.get("HTTP_ACCEPT_LANGUAGE", ""))]


@lru_cache(maxsize=512)
def browser_language(accept_language: str) -> str:
    """The portal's language that an Accept-Language header prefers (browsers
    send a handful of different headers: each is parsed once)."""
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The page's language; outside a request, English (the source texts' language)."""
    if not has_app_context():
        return "en"
    locale = get_locale()
    cached = g.get("_language")
    if cached is None or cached[0] is not locale:  # force_locale() changes it
        cached = g._language = (locale, str(locale) if locale is not None else "en")
    return cached[1]


def localise_digits(text: str) -> str:
    """Khmer digits on Khmer pages; Latin digits on English pages."""
    return to_khmer_digits(text) if current_language() == "km" else text


def format_number(value: int | float | str) -> str:
    return localise_digits(format_decimal(value, locale=current_language()))


def format_digits(value: object) -> str:
    """Reference numbers, ID numbers, codes: digits localised, nothing else changed."""
    return localise_digits(str(value))


def format_date(value: dt.date | str | None) -> str:
    """`14 មីនា 2025` → `១៤ មីនា ២០២៥` on Khmer pages, `14 March 2025` in English."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return localise_digits(babel_format_date(value, "d MMMM y", locale=current_language()))


def format_clock(moment: dt.datetime) -> str:
    """A time of day to wait for, in Phnom Penh time: `១០:៤៥ នៅពេល​ព្រឹក` on
    Khmer pages, `10:45 AM` in English. Rounded up to the minute, so a person
    who comes back at the time shown is never too early. Naive times are UTC."""
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    pattern = "h:mm B" if current_language() == "km" else "h:mm a"
    return localise_digits(format_datetime(moment, pattern))


def format_riel(amount: int | None) -> str:
    """Whole riel: `៤០,០០០៛` on Khmer pages, `40,000 riel` in English."""
    if amount is None:
        return ""
    return localise_digits(
        gettext("%(amount)s riel", amount=format_decimal(amount, locale=current_language()))
    )


def format_spid(spid: str | None) -> str:
    """An SPID grouped 3-3-3-2, in the page's digits: ០២៧ ១៥៨ ០៥៤ ១៤."""
    return localise_digits(spid_groups(spid)) if spid else ""


def format_phone(e164: str | None) -> str:
    """+85512345678 → 012 345 678 (in Khmer digits on Khmer pages)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "KH")
    except phonenumbers.NumberParseException:
        return localise_digits(e164)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return localise_digits(national)


def language_url(language: str) -> str:
    """This page's address in another language (the choice is then remembered)."""
    args = {**request.args.to_dict(), "lang": language}
    if request.endpoint and request.method == "GET":
        return url_for(request.endpoint, **(request.view_args or {}), **args)
    return url_for("pages.home", lang=language)


def format_reference(reference: str | None) -> str:
    """A reference number grouped for reading aloud, in the page's digits:
    AP-២០២៦-០០៤ ២១៧ on Khmer pages."""
    return localise_digits(readable_reference(reference)) if reference else ""


def setup_i18n(app: Flask) -> None:
    app.jinja_env.filters.update(
        number=format_number,
        digits=format_digits,
        date=format_date,
        clock=format_clock,
        riel=format_riel,
        phone=format_phone,
        spid=format_spid,
        reference=format_reference,
    )

    @app.after_request
    def add_content_language(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers["Content-Language"] = current_language()
            if "vary" in response.headers.keys(lower=True):
                response.vary.update(PAGE_VARY)
            else:  # the usual case: no header set to parse and write back
                response.headers.add("Vary", ", ".join(PAGE_VARY))
        return response

    app.jinja_env.globals.update(
        current_language=current_language,
        language_url=language_url,
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
