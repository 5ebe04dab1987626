"""The change-request forms: the kind of change, then one question a page.

Every text answer is bounded and refuses control characters (a NUL byte
pasted or sent by a script is a form error, not a registry error)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.accounts.services import cambodian_mobile
from portal.changes.kinds import BABY_RELATIONSHIPS, KINDS, SEXES
from portal.web.forms_base import DatePartsField, DigitsField, PortalForm

CHOOSE_ONE = _l("Choose one answer")
JUSTIFICATION_MAX = 500
NAME_MAX = 60
CARD_MAX = 30
PHONE_MAX = 30
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CARD = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /-]*")
_KHMER = re.compile(r"[\u1780-\u17ff]")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")


def plain_text(form, field) -> None:
    """No control characters (line breaks in a text box are fine)."""
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_l("Remove the unusual characters from what you wrote"))


def strip(value):
    return value.strip() if isinstance(value, str) else value


class KindForm(PortalForm):
    request_type = RadioField(
        choices=[SelectChoice(kind.request_type, kind.label) for kind in KINDS.values()],
        validators=[InputRequired(_l("Choose what changed"))],
    )


def khmer_letters(form, field) -> None:
    if field.data and not _KHMER.search(field.data):
        raise ValidationError(_l("Write the name in Khmer letters"))


def latin_letters(form, field) -> None:
    if field.data and not _LATIN_NAME.fullmatch(field.data):
        raise ValidationError(_l("Write the name in Latin letters, as on the ID card"))


class PhoneForm(PortalForm):
    phone_number = DigitsField(validators=[DataRequired(_l("Enter your new phone number"))])

    def __init__(self, *args, current_phone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_phone = current_phone
        self.e164: str | None = None

    def validate_phone_number(self, field) -> None:
        self.e164 = cambodian_mobile(field.data) if len(field.data) <= PHONE_MAX else None
        if self.e164 is None:
            raise ValidationError(_l("Enter a Cambodian mobile number, like 012 345 678"))
        if self.e164 == self.current_phone:
            raise ValidationError(
                _l("This is the number you signed in with. Enter your new number.")
            )


def _name_field(required_message=None, script=khmer_letters):
    presence = DataRequired(required_message) if required_message else Optional()
    too_long = _l("Write at most %(max)d letters")
    return StringField(
        filters=[strip],
        validators=[presence, Length(max=NAME_MAX, message=too_long), plain_text, script],
    )


class NameForm(PortalForm):
    surname = _name_field(_l("Enter your surname in Khmer"))
    given_name = _name_field(_l("Enter your given name in Khmer"))
    latin_surname = _name_field(script=latin_letters)
    latin_given_name = _name_field(script=latin_letters)


class BabyNameForm(PortalForm):
    surname = _name_field(_l("Enter the baby's surname"))
    given_name = _name_field(_l("Enter the baby's given name"))


class BabySexForm(PortalForm):
    sex = RadioField(
        choices=[SelectChoice(value, label) for value, label in SEXES.items()],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class BabyBirthDateForm(PortalForm):
    birth_date = DatePartsField(
        validators=[DataRequired(_l("Enter the baby's date of birth"))], past_only=True
    )


class BabyRelationshipForm(PortalForm):
    household_status = RadioField(
        choices=[SelectChoice(value, label) for value, label in BABY_RELATIONSHIPS.items()],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class MemberForm(PortalForm):
    """Which member: the choices are the household's members as the registry
    has them now, so an SPID that is not one of them is refused."""

    member_spid = RadioField(
        validators=[InputRequired(_l("Choose the person"))], validate_choice=True
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member_spid.choices = [(member.spid, member.name) for member in members]


class CardForm(PortalForm):
    card_number = DigitsField(
        validators=[DataRequired(_l("Enter the number on your disability card"))],
    )

    def validate_card_number(self, field) -> None:
        if len(field.data) > CARD_MAX:
            raise ValidationError(_l("This number is too long: check it on the card"))
        if not _CARD.fullmatch(field.data):
            raise ValidationError(_l("Write the card number with letters and numbers only"))


class AnythingElseForm(PortalForm):
    justification = TextAreaField(
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=JUSTIFICATION_MAX,
                message=_l(
                    "Write at most %(max)d characters (you wrote %(length)d). "
                    "You can tell the rest at the commune office."
                ),
            ),
            plain_text,
        ],
    )


class SendForm(PortalForm):
    """The check-your-answers page's button, and the withdraw button: the token only."""
