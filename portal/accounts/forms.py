"""Citizen sign-in forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.validators import InputRequired

from portal.accounts.services import cambodian_mobile
from portal.web.forms_base import DigitsField, PortalForm


class PhoneForm(PortalForm):
    phone_number = DigitsField(
        _l("Your mobile phone number"),
        validators=[InputRequired(_l("Enter your mobile phone number"))],
    )

    def validate_phone_number(self, field) -> None:
        self.e164 = cambodian_mobile(field.data)
        if self.e164 is None:
            raise ValidationError(str(_l("Enter a Cambodian mobile number, like 012 345 678")))


class CodeForm(PortalForm):
    code = DigitsField(
        _l("The 6-digit code"),
        validators=[InputRequired(_l("Enter the code from the text message"))],
    )

    def validate_code(self, field) -> None:
        field.data = field.data.replace(" ", "")
        if len(field.data) != 6 or not field.data.isdigit():
            raise ValidationError(str(_l("The code has 6 digits")))
