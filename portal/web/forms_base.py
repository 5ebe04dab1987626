"""What every portal form shares: a translated CSRF message, fields that accept
Khmer digits, and a date asked as day, month and year."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from portal.khmer import to_ascii_digits

CSRF_EXPIRED_MESSAGE = _l(
    "This page was open for a long time, so for your safety it was not sent. "
    "Your answers are kept: check them and send again."
)


def shows_form_again(view):
    """Mark a view whose form is shown again, with what was typed, when its
    security token has expired. The view must validate a PortalForm (which
    refuses the expired token); any other view gets the plain 400 page, so an
    expired or forged token can never make it act."""
    view.shows_form_again = True
    return view


class PortalForm(FlaskForm):
    """A form whose security-token error is a plain, translated sentence."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and csrf_field.errors:
            csrf_field.errors = [str(CSRF_EXPIRED_MESSAGE)]
        return valid


def ascii_digits(value: str | None) -> str | None:
    """WTForms filter: Khmer digits become ASCII and spaces at the ends go."""
    return to_ascii_digits(value).strip() if isinstance(value, str) else value


class DigitsField(StringField):
    """A text input for numbers (phone, ID, codes) that accepts Khmer digits.

    Validators see ASCII digits; the page shows back exactly what was typed.
    """

    def __init__(self, *args, filters=(), **kwargs):
        super().__init__(*args, filters=(ascii_digits, *filters), **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return super()._value()


DATE_PARTS = ("day", "month", "year")


class DatePartsField(Field):
    """A date asked as three number boxes: day, month, year (Khmer digits accepted).

    Rendered by the `date_field` macro. `data` is a `datetime.date` or None;
    `parts` keeps what was typed so a mistake loses nothing.
    """

    invalid_message = _l("Enter a real date, for example 14 3 1990")
    incomplete_message = _l("Enter the day, the month and the year")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data if isinstance(data, dt.date) else None
        self.parts = (
            {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
            if self.data
            else dict.fromkeys(DATE_PARTS, "")
        )
        self.raw_data = []
        if formdata is None:
            return
        names = {part: f"{self.name}-{part}" for part in DATE_PARTS}
        if not any(name in formdata for name in names.values()):
            return
        self.parts = {part: formdata.get(name, "") for part, name in names.items()}
        digits = {part: to_ascii_digits(value).strip() for part, value in self.parts.items()}
        self.data = None
        if not any(digits.values()):
            return
        self.raw_data = [f"{digits['year']}-{digits['month']}-{digits['day']}"]
        if not all(digits.values()):
            self.process_errors.append(str(self.incomplete_message))
            return
        try:
            self.data = dt.date(int(digits["year"]), int(digits["month"]), int(digits["day"]))
        except ValueError:
            self.process_errors.append(str(self.invalid_message))

    def pre_validate(self, form) -> None:
        # A half-typed or impossible date says so, instead of "enter a date".
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""
