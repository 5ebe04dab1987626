"""Back-office forms: the list's filters (sent by GET, no security token), one
small form per decision on an application, a payment, and the payment file.

Each decision form carries the version of the application the officer saw;
the registry refuses the change (412) when someone else changed it since.
Several forms share one page, so each gets its own prefix for element ids
(field names stay as they are: each form is posted on its own)."""

from __future__ import annotations

import datetime as dt

from babel.dates import get_month_names
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal import gazetteer
from portal.applications import states
from portal.backoffice import payments_csv
from portal.backoffice.describe import commune_name, programme_name
from portal.i18n import current_language, format_digits
from portal.web.forms_base import (
    DatePartsField,
    DigitsField,
    PlainText,
    PortalForm,
    VersionedForm,
    WholeNumber,
    whole_number,
)

NOTE_MAX = 1000
REFERENCE_MAX = 64
MAX_AGE_DAYS = 3650
MAX_AMOUNT = 100_000_000
FIRST_PERIOD_YEAR = 2000
ORDERS = {"newest": _l("Newest first"), "oldest": _l("Oldest first")}


def strip(value):
    return value.strip() if isinstance(value, str) else value


def no_separators(value):
    """40,000 or 40 000 is forty thousand."""
    return value.replace(",", "").replace(" ", "") if isinstance(value, str) else value


# The list's filters


class _Filters(PortalForm):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), validators=[Optional()])
    programme = SelectField(_l("Programme"), validators=[Optional()])
    older_than = DigitsField(
        _l("Waiting more than (days)"),
        validators=[Optional(), WholeNumber(0, MAX_AGE_DAYS)],
    )
    order = SelectField(
        _l("Order"),
        choices=[SelectChoice(value, label) for value, label in ORDERS.items()],
        default="newest",
        validators=[Optional()],
    )

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [SelectChoice("", _l("Any state"))] + [
            SelectChoice(state, states.words(state)[0]) for state in states.WORDS
        ]
        self.programme.choices = [SelectChoice("", _l("All your programmes"))] + [
            SelectChoice(programme, programme_name(programme)) for programme in programmes
        ]


class CommuneOfficerFilters(_Filters):
    """Commune officers choose among their communes."""

    commune = SelectField(_l("Commune"), validators=[Optional()])

    def __init__(self, *args, programmes=(), communes=(), **kwargs):
        super().__init__(*args, programmes=programmes, **kwargs)
        self.programme.choices[0] = SelectChoice("", _l("All programmes"))
        self.commune.choices = [SelectChoice("", _l("All your communes"))] + [
            SelectChoice(code, commune_name(code)) for code in communes
        ]


class ProgrammeOfficerFilters(_Filters):
    """Programme officers work for the whole country: a commune by its code."""

    commune = DigitsField(_l("Commune code (6 digits)"), validators=[Optional()])

    def validate_commune(self, field) -> None:
        if not gazetteer.is_commune(field.data):
            raise ValidationError(_l("Enter the 6-digit code of a commune, like 120101"))


# Decisions


def _note(required_message=None):
    presence = DataRequired(required_message) if required_message else Optional()
    return TextAreaField(filters=[strip], validators=[presence, PlainText(NOTE_MAX)])


class MoveForm(VersionedForm):
    """Received, documents checked, approved: a note is optional."""

    note = _note()


class InformationForm(VersionedForm):
    note = _note(_l("Write what the applicant must give"))


class RefuseForm(VersionedForm):
    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(code, words) for code, words in states.REFUSAL_REASONS.items()],
        validators=[InputRequired(_l("Choose the reason"))],
    )
    note = _note(_l("Write why, in words the applicant understands"))


def _period_year(form, field) -> None:
    latest = dt.date.today().year + 1
    year = whole_number(field.data)
    if year is None or not FIRST_PERIOD_YEAR <= year <= latest:
        raise ValidationError(
            _(
                "Enter a year from %(low)s to %(high)s",
                low=format_digits(FIRST_PERIOD_YEAR),
                high=format_digits(latest),
            )
        )


class PaymentForm(VersionedForm):
    paid_on = DatePartsField(
        _l("Paid on"), validators=[DataRequired(_l("Enter the day it was paid"))], past_only=True
    )
    period_month = SelectField(_l("Month paid for"))
    period_year = DigitsField(
        _l("Year paid for"),
        validators=[DataRequired(_l("Enter the year paid for"))],
    )
    amount_riel = DigitsField(
        _l("Amount (riel)"),
        filters=[no_separators],
        validators=[
            DataRequired(_l("Enter the amount in riel")),
            WholeNumber(1, MAX_AMOUNT, _l("Enter a whole number of riel from %(low)s to %(high)s")),
        ],
    )
    provider_reference = StringField(
        _l("Transaction id (optional)"),
        filters=[strip],
        validators=[Optional(), PlainText(REFERENCE_MAX)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = get_month_names("wide", locale=current_language())
        self.period_month.choices = [
            SelectChoice(f"{number:02d}", months[number]) for number in range(1, 13)
        ]
        self.period_year.validators = [*self.period_year.validators, _period_year]

    @property
    def period(self) -> str:
        return f"{int(self.period_year.data):04d}-{self.period_month.data}"


class ImportForm(PortalForm):
    payments_file = FileField(
        _l("Payment file (CSV)"), validators=[FileRequired(_l("Choose the payment file"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[payments_csv.Row] = []

    def validate_payments_file(self, field) -> None:
        data = field.data.stream.read(payments_csv.MAX_BYTES + 1)
        try:
            self.rows = payments_csv.read(data, dt.date.today())
        except payments_csv.FileRefused as refused:
            raise ValidationError(str(refused.message)) from None
