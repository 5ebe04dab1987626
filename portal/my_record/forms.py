"""Who are you acting as? (one phone, several people)"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, ValidationError
from wtforms.validators import InputRequired

from portal.web.forms_base import PortalForm

CHOOSE_MESSAGE = _l("Choose who you are")


class ChooseForm(PortalForm):
    # Choices: the session's candidates and "someone else". Any other value (a
    # guessed person id) gets the same message as no choice at all.
    person_id = RadioField(
        _l("Who are you?"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(CHOOSE_MESSAGE)],
    )

    def validate_person_id(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(str(CHOOSE_MESSAGE))


class WithdrawConsentForm(PortalForm):
    """Withdraw one consent: nothing to answer, the security token only."""
