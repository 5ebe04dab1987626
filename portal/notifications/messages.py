"""The text messages we send. Each is Khmer and fits one Unicode SMS segment
(70 characters), names the service and carries no personal data."""

from __future__ import annotations

from flask_babel import force_locale, gettext

SEGMENT = 70


def login_code(code: str) -> str:
    """The sign-in code. Latin digits, so phones can offer to fill the code in."""
    with force_locale("km"):
        text = gettext("Social protection: your code is %(code)s. Do not share it.", code=code)
    if len(text) > SEGMENT:
        raise ValueError("the sign-in text message no longer fits one segment")
    return text
