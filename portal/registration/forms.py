"""The registration questions, one a page, each field named as the registry names it."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from portal.i18n import format_digits
from portal.khmer import to_ascii_digits
from portal.web.forms_base import (
    EARLIEST_YEAR,
    DatePartsField,
    DigitsField,
    PlainText,
    PortalForm,
    whole_number,
)

CHOOSE_ONE = _l("Choose one answer")
_KHMER_LETTER = re.compile("[\u1780-\u17b3]")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")
_NATIONAL_ID = re.compile(r"^[0-9A-Za-z]{9,12}$")
_CARD_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,40}$")
SEX_CHOICES = [SelectChoice("female", _l("Woman")), SelectChoice("male", _l("Man"))]
RELATIONSHIPS = {
    "spouse": _l("Wife or husband"),
    "child": _l("Son or daughter"),
    "mother": _l("Mother"),
    "father": _l("Father"),
    "other": _l("Other relative or someone else"),
}


def estimated_birth_date(year: int, today: dt.date) -> dt.date:
    """Only the year is known: the middle of that year (today, if that is later)."""
    return min(dt.date(year, 7, 1), today)


def khmer_letters(form, field) -> None:
    if field.data and not _KHMER_LETTER.search(field.data):
        raise ValidationError(str(_l("Write the name in Khmer letters")))


class KhmerNameForm(PortalForm):
    surname = StringField(
        _l("Family name"),
        validators=[InputRequired(_l("Enter the family name")), PlainText(100), khmer_letters],
    )
    given_name = StringField(
        _l("Given name"),
        validators=[InputRequired(_l("Enter the given name")), PlainText(100), khmer_letters],
    )


def latin_letters(form, field) -> None:
    if field.data and not _LATIN_NAME.match(field.data):
        raise ValidationError(str(_l("Use Latin letters, as on an ID card: A to Z")))


class LatinNameForm(PortalForm):
    """Optional: as printed on a national ID card, if the person has one."""

    surname = StringField(
        _l("Family name in Latin letters"),
        validators=[Optional(), PlainText(100), latin_letters],
    )
    given_name = StringField(
        _l("Given name in Latin letters"),
        validators=[Optional(), PlainText(100), latin_letters],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        surname, given = (self.surname.data or "").strip(), (self.given_name.data or "").strip()
        if valid and bool(surname) != bool(given):
            empty = self.given_name if surname else self.surname
            empty.errors = [str(_l("Fill in both names, or leave both empty"))]
            return False
        return valid


class SexForm(PortalForm):
    sex = RadioField(choices=SEX_CHOICES, validators=[InputRequired(CHOOSE_ONE)])


class BirthDateForm(PortalForm):
    """A date of birth, or only its year ("I only know the year"), as many older
    people know it."""

    birth_date = DatePartsField(
        _l("Date of birth"),
        validators=[InputRequired(_l("Enter the date of birth"))],
        past_only=True,
    )
    year_only = BooleanField(_l("I only know the year"))

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        shown = self.birth_date
        if self.year_only.data and shown.data and not shown.raw_data:
            # An estimated date is shown back as the year the person gave.
            shown.parts = {"day": "", "month": "", "year": str(shown.data.year)}

    def validate(self, extra_validators=None) -> bool:
        if self.year_only.data:
            self._estimate_from_year()
        return super().validate(extra_validators)

    def _estimate_from_year(self) -> None:
        text = to_ascii_digits(self.birth_date.parts["year"]).strip()
        year = whole_number(text)
        this_year = dt.date.today().year
        self.birth_date.process_errors = []
        if year is None or len(text) != 4 or not EARLIEST_YEAR <= year <= this_year:
            self.birth_date.data = None
            self.birth_date.process_errors = [
                str(_l("Enter the year with 4 digits, for example %(example)s"))
                % {"example": format_digits(1960)}
            ]
        else:
            self.birth_date.data = estimated_birth_date(year, dt.date.today())

    @property
    def estimated(self) -> bool:
        return bool(self.year_only.data)


class NationalIdForm(PortalForm):
    identifier_value = DigitsField(
        _l("National ID card number"), validators=[Optional(), PlainText(40)]
    )

    def validate_identifier_value(self, field) -> None:
        field.data = field.data.replace(" ", "").replace("-", "").upper()
        if field.data and not _NATIONAL_ID.match(field.data):
            raise ValidationError(str(_l("A national ID number has 9 to 12 letters and digits")))


def card_number(field, has_card: bool, missing) -> None:
    """A card's number, asked beside "do you have the card?": needed only when
    they have it (then forgotten when they say they have none)."""
    field.data = (field.data or "").replace(" ", "").upper()
    if not has_card:
        field.data = ""
    elif not field.data:
        raise ValidationError(str(missing))
    elif not _CARD_NUMBER.match(field.data):
        raise ValidationError(str(_l("Use only the letters and digits on the card")))


class DisabilityForm(PortalForm):
    has_card = RadioField(
        choices=[
            SelectChoice("yes", _l("Yes, I have a disability card")),
            SelectChoice("no", _l("No")),
        ],
        validators=[InputRequired(CHOOSE_ONE)],
    )
    card_number = DigitsField(_l("Card number, if you have a card"), validators=[PlainText(40)])

    def validate_card_number(self, field) -> None:
        card_number(
            field, self.has_card.data == "yes", _l("Enter the number on the disability card")
        )


class MemberForm(BirthDateForm, KhmerNameForm):
    """One person who lives in the household, besides the person registering."""

    sex = RadioField(_l("Sex"), choices=SEX_CHOICES, validators=[InputRequired(CHOOSE_ONE)])
    household_status = RadioField(
        _l("How are they related to you?"),
        choices=[SelectChoice(value, label) for value, label in RELATIONSHIPS.items()],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class EquityCardForm(PortalForm):
    level = RadioField(
        choices=[
            SelectChoice("1", _l("Yes, Level 1")),
            SelectChoice("2", _l("Yes, Level 2")),
            SelectChoice("none", _l("No, we have no Equity Card")),
        ],
        validators=[InputRequired(CHOOSE_ONE)],
    )
    card_number = DigitsField(_l("Card number, if you have a card"), validators=[PlainText(40)])

    def validate_card_number(self, field) -> None:
        card_number(field, self.level.data != "none", _l("Enter the number on the Equity Card"))


class ConsentForm(PortalForm):
    agree = BooleanField(
        _l("I agree that my household's information is recorded and used in this way"),
        validators=[InputRequired(_l("Tick the box to agree, or ask your commune office"))],
    )


class ClaimForm(PortalForm):
    """Claim a record the registry has (from an IDPoor survey, NSSF, ...)."""

    identifier_value = DigitsField(
        _l("National ID card number"),
        validators=[InputRequired(_l("Enter your national ID number")), PlainText(40)],
    )
    birth_date = DatePartsField(
        _l("Date of birth"),
        validators=[InputRequired(_l("Enter your date of birth"))],
        past_only=True,
    )

    def validate_identifier_value(self, field) -> None:
        field.data = field.data.replace(" ", "").replace("-", "").upper()
        if not _NATIONAL_ID.match(field.data):
            raise ValidationError(str(_l("A national ID number has 9 to 12 letters and digits")))
