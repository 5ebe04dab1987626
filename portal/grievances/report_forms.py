"""The forms of the report pages: one question each. Choices are checked
against the list shown; free text is bounded and refuses control characters;
a phone number is read as at sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField, ValidationError
from wtforms.validators import InputRequired

from portal.accounts.services import cambodian_mobile
from portal.grievances import categories
from portal.grievances.report_draft import ANONYMOUS, MINE, NO_PROGRAMME, OTHER
from portal.i18n import format_phone
from portal.web.forms_base import DigitsField, PlainText, PortalForm

DESCRIPTION_MAX = 2000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CategoryForm(PortalForm):
    category = RadioField(
        validators=[InputRequired(_l("Choose what your problem is about"))], validate_choice=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(code, categories.words(code)) for code in categories.CATEGORIES]


class ProgrammeForm(PortalForm):
    programme = RadioField(
        validators=[InputRequired(_l("Choose a programme, or “None, or I do not know”"))],
        validate_choice=True,
    )

    def __init__(self, *args, programmes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.programme.choices = [
            *programmes.items(),
            (NO_PROGRAMME, _l("None, or I do not know")),
        ]


class DescriptionForm(PortalForm):
    description = TextAreaField(
        filters=[strip],
        validators=[
            InputRequired(_l("Say what happened")),
            PlainText(max_length=DESCRIPTION_MAX),
        ],
    )

    def validate_description(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(_l("Say what happened")))


class ContactForm(PortalForm):
    contact = RadioField(
        validators=[InputRequired(_l("Choose how we can contact you"))], validate_choice=True
    )

    def __init__(self, *args, own_phone: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if own_phone:
            choices.append((MINE, _l("My phone, %(phone)s", phone=format_phone(own_phone))))
        choices += [
            (OTHER, _l("Another phone number")),
            (
                ANONYMOUS,
                _l("Do not give my name (anonymous): you get a 6-digit PIN to follow your report"),
            ),
        ]
        self.contact.choices = choices


class ContactPhoneForm(PortalForm):
    phone_number = DigitsField(
        _l("The mobile phone number we can text"),
        validators=[InputRequired(_l("Enter a mobile phone number"))],
    )

    def validate_phone_number(self, field) -> None:
        self.e164 = cambodian_mobile(field.data)
        if self.e164 is None:
            raise ValidationError(str(_l("Enter a Cambodian mobile number, like 012 345 678")))


class SendForm(PortalForm):
    """Only the security token: the answers are in the session."""
