"""The screener's forms: one question a page. Every question can also be
answered "I do not know" (a second button), which the engine treats as unknown."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from portal.i18n import format_number
from portal.web.forms_base import DatePartsField, DigitsField, PortalForm, WholeNumber

CHOOSE_ONE = _l("Choose one answer")
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class DateQuestion(PortalForm):
    answer = DatePartsField(validators=[DataRequired(_l("Enter the date"))])


class PastDateQuestion(PortalForm):
    """A date that has happened: a date of birth (no later than today)."""

    answer = DatePartsField(validators=[DataRequired(_l("Enter the date"))], past_only=True)


class YesNoQuestion(PortalForm):
    answer = RadioField(choices=YES_NO, validators=[InputRequired(CHOOSE_ONE)])


class SexQuestion(PortalForm):
    answer = RadioField(
        choices=[SelectChoice("female", _l("Woman")), SelectChoice("male", _l("Man"))],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class EquityCardQuestion(PortalForm):
    answer = RadioField(
        choices=[
            SelectChoice("1", _l("Yes, Level 1")),
            SelectChoice("2", _l("Yes, Level 2")),
            SelectChoice("none", _l("No, we have no Equity Card")),
        ],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class DisabilityQuestion(PortalForm):
    answer = RadioField(
        choices=[
            SelectChoice("card", _l("Yes, I have a disability card")),
            SelectChoice("no_card", _l("I have a disability, but no card")),
            SelectChoice("none", _l("No, I have no disability")),
        ],
        validators=[InputRequired(CHOOSE_ONE)],
    )


class SchoolGradeQuestion(PortalForm):
    answer = SelectField(
        choices=[
            SelectChoice("", _l("Choose")),
            SelectChoice("none", _l("Not in school")),
            *(SelectChoice(str(grade), LazyString(format_number, grade)) for grade in range(1, 13)),
        ],
        validators=[DataRequired(CHOOSE_ONE)],
    )


class WorkQuestion(PortalForm):
    answer = RadioField(
        choices=[
            SelectChoice("none", _l("No work")),
            SelectChoice("informal", _l("Farming, selling or day work, with no NSSF card")),
            SelectChoice("self_employed", _l("I work for myself (self-employed)")),
            SelectChoice("nssf_employee", _l("Employee, and my employer pays NSSF for me")),
            SelectChoice("civil_servant", _l("Civil servant")),
            SelectChoice("public_contract_staff", _l("Contract staff in a public office")),
            SelectChoice("retired_civil_servant", _l("Retired civil servant")),
            SelectChoice("veteran", _l("Veteran")),
        ],
        validators=[InputRequired(CHOOSE_ONE)],
    )


def number_question(low: int, high: int) -> type[PortalForm]:
    """A whole-number question between low and high (Khmer digits accepted)."""

    class NumberQuestion(PortalForm):
        answer = DigitsField(
            validators=[InputRequired(_l("Enter a number")), WholeNumber(low, high)]
        )

    return NumberQuestion
