"""What every portal form shares: a translated CSRF message, messages in the
page's language and digits, fields that accept Khmer digits, whole numbers
within bounds, and a date asked as day, month and year."""

from __future__ import annotations

import datetime as dt
import re

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto as _AUTO
from wtforms import Field, HiddenField, StringField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Regexp, StopValidation, ValidationError

from portal.i18n import format_digits, format_number, localise_digits
from portal.khmer import to_ascii_digits
from portal.web.form_messages import wtforms_translations
from portal.web.form_tokens import form_token

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


class FormTokenCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's token check, with the token signed at most once a minute
    per session (portal.web.form_tokens)."""

    def generate_csrf_token(self, csrf_token_field):
        return form_token()


class PortalForm(FlaskForm):
    """A form whose messages are in the page's language and digits (WTForms' own
    messages included) and whose security-token error is a plain sentence."""

    class Meta:
        csrf_class = FormTokenCSRF

        def get_translations(self, form):
            return wtforms_translations()

        def wrap_formdata(self, form, formdata):
            # Pages post HTML forms: a JSON body is never read as answers (any
            # shape or depth could be sent, and the fields expect form data).
            if has_request_context() and request.is_json:
                formdata = request.form if formdata is _AUTO else formdata
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        self._plain_token_message()
        for field in self:
            if isinstance(field.errors, list | tuple):
                field.errors = [localise_digits(str(message)) for message in field.errors]
        return valid

    def token_accepted(self) -> bool:
        """Only the security token, for a button that acts without the other
        answers (such as "I do not know"). A token already refused (the form is
        being shown again) is never accepted."""
        if g.get("csrf_failed"):
            self._plain_token_message(failed=True)
            return False
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is None:
            return True
        accepted = csrf_field.validate(self)
        self._plain_token_message()
        return accepted

    def _plain_token_message(self, failed: bool = False) -> None:
        csrf_field = getattr(self, "csrf_token", None)
        if csrf_field is not None and (failed or csrf_field.errors):
            csrf_field.errors = [str(CSRF_EXPIRED_MESSAGE)]


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


_WHOLE_NUMBER = re.compile(r"[0-9]+")
# More digits than this is never a number a person means (and int() of a
# 5,000-digit text is refused by Python): it is a mistake, not an error of ours.
MAX_NUMBER_DIGITS = 12


def whole_number(text: str | None) -> int | None:
    """The whole number written in `text` (ASCII digits only), else None."""
    if not text or len(text) > MAX_NUMBER_DIGITS or not _WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)


class WholeNumber:
    """Validator: a whole number from `low` to `high`, said with the bounds in
    the page's digits. Use with DigitsField (which gives it ASCII digits)."""

    def __init__(self, low: int, high: int, message=None):
        self.low, self.high = low, high
        self.message = message or _l("Enter a number from %(low)s to %(high)s")

    def __call__(self, form, field) -> None:
        number = whole_number(field.data)
        if number is None or not self.low <= number <= self.high:
            raise ValidationError(
                str(self.message)
                % {"low": format_number(self.low), "high": format_number(self.high)}
            )


DATE_PARTS = ("day", "month", "year")
EARLIEST_YEAR = 1900
# A later year is a typing mistake on any form of ours (Equity Cards run for years, not decades).
LATEST_YEAR = 2100


class DatePartsField(Field):
    """A date asked as three number boxes: day, month, year (Khmer digits accepted).

    Rendered by the `date_field` macro. `data` is a `datetime.date` or None;
    `parts` keeps what was typed so a mistake loses nothing. The day is 1 to 31,
    the month 1 to 12, the year four digits from 1900; `past_only` (a date of
    birth) refuses a year after this one and a day after today.
    """

    invalid_message = _l("Enter a real date, for example 14 3 1990")
    incomplete_message = _l("Enter the day, the month and the year")
    day_message = _l("Enter the day as a number from %(low)s to %(high)s")
    month_message = _l("Enter the month as a number from %(low)s to %(high)s")
    year_digits_message = _l("Enter the year with 4 digits, for example %(example)s")
    year_range_message = _l("Enter a year from %(low)s to %(high)s")
    future_message = _l("The date cannot be after today")

    def __init__(self, label=None, validators=None, past_only: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.past_only = past_only

    def _latest(self) -> dt.date:
        return dt.date.today() if self.past_only else dt.date(LATEST_YEAR, 12, 31)

    def _part_problems(self, digits: dict[str, str]) -> list[str]:
        """What is wrong with each box, in the page's digits (empty: all in bounds)."""
        problems = []
        for part, message, low, high in (
            ("day", self.day_message, 1, 31),
            ("month", self.month_message, 1, 12),
        ):
            number = whole_number(digits[part])
            if number is None or not low <= number <= high:
                problems.append(
                    str(message) % {"low": format_number(low), "high": format_number(high)}
                )
        year = whole_number(digits["year"])
        latest = self._latest().year
        if year is None or len(digits["year"]) != 4:
            problems.append(str(self.year_digits_message) % {"example": format_digits(1990)})
        elif not EARLIEST_YEAR <= year <= latest:
            problems.append(
                str(self.year_range_message)
                % {"low": format_digits(EARLIEST_YEAR), "high": format_digits(latest)}
            )
        return problems

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
        problems = self._part_problems(digits)
        if problems:
            self.process_errors.extend(problems)
            return
        try:
            day = dt.date(int(digits["year"]), int(digits["month"]), int(digits["day"]))
        except ValueError:
            self.process_errors.append(str(self.invalid_message))
            return
        if day > self._latest():
            self.process_errors.append(str(self.future_message))
            return
        self.data = day

    def pre_validate(self, form) -> None:
        # A half-typed or impossible date says so, instead of "enter a date".
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class PlainText:
    """Validator: text a person could have typed, at most `max_length`
    characters: no NUL or other control characters (they cannot be stored,
    and no keyboard makes them)."""

    too_long = _l("Write at most %(max)s characters")
    not_text = _l("Remove the special characters from this answer")

    def __init__(self, max_length: int):
        self.max_length = max_length

    def __call__(self, form, field) -> None:
        text = field.data or ""
        if _CONTROL_CHARACTERS.search(text):
            raise ValidationError(str(self.not_text))
        if len(text) > self.max_length:
            raise ValidationError(str(self.too_long) % {"max": format_number(self.max_length)})


class VersionedForm(PortalForm):
    """One action on a record that others may change too: it carries the
    version of the record the person saw (the registry refuses the change,
    412, when someone changed it since). Several such forms share a page, so
    each gets its own prefix for element ids (field names stay as they are:
    each form is posted on its own)."""

    version = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9]{1,9}$")])

    def __init__(self, *args, id_prefix: str, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = f"{id_prefix}-{field.short_name}"

    @property
    def version_shown(self) -> int:
        return int(self.version.data)
