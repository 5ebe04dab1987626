"""The officer's forms: search, choose a result, the purpose of opening a
record, the person's consent, and a new walk-in. All are posted (never put in
the address), each with its security token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Regexp, ValidationError

from portal.accounts.services import cambodian_mobile
from portal.khmer import comparison_key
from portal.web.forms_base import DigitsField, PlainText, PortalForm

QUERY_MIN = 3
QUERY_MAX = 100
FORM_NUMBER_MAX = 40
NAME_MAX = 100
PURPOSES = {
    "walk-in help": _l("The person came to the office for help"),
    "home visit": _l("A home visit"),
    "follow-up": _l("Follow-up of their case"),
}
CONSENT_METHODS = {
    "in_person": _l("They agreed in person, here at the office"),
    "thumbprint": _l("They put their thumbprint on the paper consent form"),
}
WHY_MISSING = _l("Choose why you are opening this record")
HOW_MISSING = _l("Choose how the person agreed")


class SearchForm(PortalForm):
    query = StringField(
        _l("Name, SPID, phone number, national ID or household number"),
        validators=[
            InputRequired(_l("Type what you know about the person")),
            PlainText(QUERY_MAX),
        ],
    )

    def validate_query(self, field) -> None:
        if len(comparison_key(field.data).replace(" ", "")) < QUERY_MIN:
            raise ValidationError(str(_l("Type at least 3 letters or digits")))


class ChooseForm(PortalForm):
    """One search result's "open" button: the SPID, posted, never in the address."""

    spid = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9]{11}$")])


class PurposeForm(PortalForm):
    purpose = RadioField(
        _l("Why are you opening this record?"),
        choices=[SelectChoice(value, label) for value, label in PURPOSES.items()],
        validators=[InputRequired(WHY_MISSING), AnyOf(list(PURPOSES), WHY_MISSING)],
        validate_choice=False,
    )


class ConsentForm(PortalForm):
    method = RadioField(
        _l("How did the person agree that you act for them?"),
        choices=[SelectChoice(value, label) for value, label in CONSENT_METHODS.items()],
        validators=[InputRequired(HOW_MISSING), AnyOf(list(CONSENT_METHODS), HOW_MISSING)],
        validate_choice=False,
    )
    form_number = StringField(
        _l("Number of the paper consent form"),
        validators=[PlainText(FORM_NUMBER_MAX)],
    )

    def validate_form_number(self, field) -> None:
        field.data = (field.data or "").strip()
        if self.method.data == "thumbprint" and not field.data:
            raise ValidationError(str(_l("Write the number printed on the paper form")))

    def consent_number(self) -> str | None:
        return self.form_number.data if self.method.data == "thumbprint" else None


class WalkInForm(ConsentForm):
    """A person the registry does not have yet: whom the bar names, and the
    phone their messages go to (many have none)."""

    name = StringField(
        _l("Their name"),
        validators=[InputRequired(_l("Write the person's name")), PlainText(NAME_MAX)],
    )
    phone_number = DigitsField(_l("Their mobile phone number (if they have one)"))

    def validate_phone_number(self, field) -> None:
        self.e164 = None
        if field.data and field.data.strip():
            self.e164 = cambodian_mobile(field.data)
            if self.e164 is None:
                raise ValidationError(str(_l("Enter a Cambodian mobile number, like 012 345 678")))
