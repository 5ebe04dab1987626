"""What a server process does once, at start, so that no request pays for it.

gunicorn calls `warm_up` in each worker before the worker takes its first
request (gunicorn.conf.py). Without it, the first requests in a new worker
would each wait for: the registry client (and with it the embedded registry,
its contract and the gazetteer), compiling every template, reading the
message catalogues and Babel's locale data, and phonenumbers' metadata.
"""

from __future__ import annotations

import datetime as dt
import gc

import phonenumbers
from flask import Flask
from flask_babel import force_locale, get_translations

from portal.i18n import LANGUAGES, format_date, format_number
from portal.registry_access import registry
from portal.web.template_languages import in_language


def warm_up(app: Flask) -> None:
    if "registry_settings" not in app.extensions:
        return  # not the portal (bench/throughput.py's bare app shares the settings)
    registry(app)
    phonenumbers.parse("+85512345678")
    with app.test_request_context():
        for language in LANGUAGES:
            with force_locale(language):
                get_translations()
                format_number(1000)
                format_date(dt.date.today())
            for name in app.jinja_env.list_templates(extensions=["html"]):
                app.jinja_env.get_template(in_language(name, language))
    # What is loaded now lives as long as the process: the garbage collector
    # need not look at it again (its full passes would otherwise take longer
    # the more was loaded, in the middle of requests).
    gc.collect()
    gc.freeze()
