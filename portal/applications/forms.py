"""The application forms: the programme's own questions (one a page), the
declaration, the answer to an office's question, and the buttons that only
need the security token (send, withdraw). The eligibility questions use the
screener's own forms (portal/eligibility/forms.py).

Every text answer is bounded and refuses control characters."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from portal.applications.questions import DELIVERY_WITHIN_MONTHS, NOT_LISTED, PREGNANT
from portal.i18n import format_date
from portal.web.forms_base import DatePartsField, PlainText, PortalForm

SCHOOL_NAME_MAX = 100
ANSWER_MAX = 2000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover (every month has 28 days)


class ForWhomForm(PortalForm):
    """I am pregnant, one of the household's children under 2 (by SPID, as the
    registry has them now), or a child who is not listed yet."""

    for_whom = RadioField(
        validators=[InputRequired(_l("Choose who this application is for"))], validate_choice=True
    )

    def __init__(self, *args, children=(), pregnancy: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(PREGNANT, _l("I am pregnant"))] if pregnancy else []
        choices += [(child["spid"], child["label"]) for child in children]
        choices.append((NOT_LISTED, _l("My child is not in this list")))
        self.for_whom.choices = choices


class ExpectedDeliveryForm(PortalForm):
    expected_delivery_date = DatePartsField(
        validators=[DataRequired(_l("Enter the date your baby is expected"))]
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_expected_delivery_date(self, field) -> None:
        latest = months_after(self.today, DELIVERY_WITHIN_MONTHS)
        if not self.today <= field.data <= latest:
            raise ValidationError(
                _l(
                    "Enter a date from today to %(latest)s (within %(months)s months)",
                    latest=format_date(latest),
                    months=DELIVERY_WITHIN_MONTHS,
                )
            )


class SchoolNameForm(PortalForm):
    school_name = StringField(
        filters=[strip],
        validators=[DataRequired(_l("Enter the name of your school")), PlainText(SCHOOL_NAME_MAX)],
    )


class DeclarationForm(PortalForm):
    declaration = BooleanField(
        _l("I declare that my answers are true."),
        validators=[DataRequired(_l("Tick the box to declare that your answers are true"))],
    )


class AnswerForm(PortalForm):
    """What the person tells the office that asked for more information."""

    text = TextAreaField(
        filters=[strip],
        validators=[DataRequired(_l("Write your answer")), PlainText(ANSWER_MAX)],
    )


class SendForm(PortalForm):
    """The check-your-answers page's button, and the withdraw button: the token only."""
