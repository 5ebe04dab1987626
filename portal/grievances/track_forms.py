"""The tracking forms: the reference with the phone number or PIN, and what
the reporter may do about their case. Every text is bounded and refuses
control characters; numbers accept Khmer digits."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from portal.accounts.services import cambodian_mobile
from portal.grievances.pin import PIN_LENGTH
from portal.grievances.references import normalised
from portal.grievances.tracking import Proof
from portal.web.forms_base import DigitsField, PlainText, PortalForm

REFERENCE_MAX = 40
PROOF_MAX = 30
TEXT_MAX = 2000
YES, NO = "yes", "no"
_PIN = re.compile(rf"[0-9]{{{PIN_LENGTH}}}")
_SEPARATORS = re.compile(r"[\s.\-]")
NOT_FOUND = _l(
    "We found no complaint with this reference number and this phone number or PIN. "
    "Check both and try again."
)


def strip(value):
    return value.strip() if isinstance(value, str) else value


class TrackForm(PortalForm):
    reference = StringField(
        _l("Reference number"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the reference number")),
            PlainText(REFERENCE_MAX),
        ],
    )
    proof = DigitsField(
        _l("The phone number you gave, or your 6-digit PIN if you reported without your name"),
        validators=[
            DataRequired(_l("Enter the phone number you gave, or your PIN")),
            PlainText(PROOF_MAX),
        ],
    )

    def validate_reference(self, field) -> None:
        self.normalised = normalised(field.data)
        if self.normalised is None:
            raise ValidationError(str(_l("Enter the reference number, like GR-2026-004 217")))

    def validate_proof(self, field) -> None:
        typed = _SEPARATORS.sub("", field.data or "")
        if _PIN.fullmatch(typed):
            self.proof_given = Proof(pin=typed)
            return
        phone = cambodian_mobile(field.data)
        if phone is None:
            raise ValidationError(
                str(_l("Enter a Cambodian mobile number, like 012 345 678, or the 6-digit PIN"))
            )
        self.proof_given = Proof(phone=phone)

    def not_found(self) -> None:
        """The one answer for a wrong reference and a wrong phone number or PIN."""
        self.form_errors.append(str(NOT_FOUND))


class InformationForm(PortalForm):
    text = TextAreaField(
        _l("What do you want to add?"),
        filters=[strip],
        validators=[DataRequired(_l("Write what you want to add")), PlainText(TEXT_MAX)],
    )


class SatisfiedForm(PortalForm):
    satisfied = RadioField(
        _l("Are you satisfied with the decision?"),
        choices=[
            SelectChoice(YES, _l("Yes, I am satisfied")),
            SelectChoice(NO, _l("No, I am not satisfied")),
        ],
        validators=[InputRequired(_l("Choose yes or no"))],
        validate_choice=True,
    )


class ReasonForm(PortalForm):
    """Why the reporter reopens the case, or appeals against its decision."""

    reason = TextAreaField(
        filters=[strip],
        validators=[DataRequired(_l("Write why")), PlainText(TEXT_MAX)],
    )
