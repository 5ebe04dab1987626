"""How my record shows a moment in time and the SPID's QR code. (The SPID
itself, grouped 3-3-3-2, is the `spid` filter of portal/i18n.py.)"""

from __future__ import annotations

import datetime as dt
import re

import segno
from flask_babel import format_datetime, gettext, to_user_timezone
from markupsafe import Markup

from portal.i18n import current_language, format_date, localise_digits
from portal.khmer import to_ascii_digits

_NOT_DIGITS = re.compile(r"[^0-9]")


def format_moment(value: str | dt.datetime) -> str:
    """A moment as date and time of day in Phnom Penh: `២៩ វិច្ឆិកា ២០២៦, ៤:០៥ ល្ងាច`."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = to_user_timezone(moment)
    pattern = "h:mm B" if current_language() == "km" else "h:mm a"
    clock = localise_digits(format_datetime(moment, pattern))
    return gettext("%(date)s at %(time)s", date=format_date(local.date()), time=clock)


def qr_svg(spid: str, title: str) -> Markup:
    """The SPID (digits only) as an inline SVG QR code: no style attribute or
    element (the Content-Security-Policy allows no inline style), a viewBox so
    that the stylesheet sizes it, and a title for screen readers."""
    digits = _NOT_DIGITS.sub("", to_ascii_digits(spid))
    code = segno.make(digits, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", title=title)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 (segno escapes the title)
