"""Forms of the grievance back office: the queue's filters (sent by GET, no
security token) and one small form per action on a case.

Each action form carries the version of the case the handler saw; the
registry refuses the change (412) when someone else changed the case since.
Several forms share the case page, so each gets its own prefix for element ids
(field names stay as they are: each form is posted on its own)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal import gazetteer
from portal.accounts.services import cambodian_mobile
from portal.applications import offer
from portal.backoffice.describe import commune_name, programme_name
from portal.grievances import categories, references, states
from portal.khmer import to_ascii_digits
from portal.web.forms_base import DatePartsField, DigitsField, PlainText, PortalForm, VersionedForm

TEXT_MAX = 2000  # a public reply, a note, a decision's explanation
SEARCH_MAX = 40
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
APPLICATION_REFERENCE = re.compile(r"^AP-[0-9]{4}-[0-9]{6}$")
SPID_DIGITS = 11

# The queue's views: name → words (the escalated one is the supervisors').
OPEN_VIEW = "open"
VIEWS = {
    OPEN_VIEW: _l("All open"),
    "overdue": _l("Overdue"),
    "today": _l("Due today"),
    "upcoming": _l("Next 7 days"),
    "unassigned": _l("Not assigned"),
    "mine": _l("Mine"),
    "escalated": _l("Escalated"),
}
SUPERVISOR_VIEWS = frozenset({"escalated"})


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower(value):
    return value.lower() if isinstance(value, str) else value


def username_problem(text: str | None) -> str | None:
    if not text or not USERNAME.match(text):
        return str(_l("Enter a staff username, like sok.dara"))
    return None


# The queue's filters


class QueueFilters(PortalForm):
    """What the queue shows. Handlers choose among their communes; supervisors
    type any commune's code. The search finds a reference or a phone number."""

    class Meta:
        csrf = False

    view = SelectField(_l("Show"), validators=[Optional()], default=OPEN_VIEW)
    status = SelectField(_l("State"), validators=[Optional()])
    category = SelectField(_l("Subject"), validators=[Optional()])
    programme = SelectField(_l("Programme"), validators=[Optional()])
    assignee = StringField(
        _l("Assigned to (username)"),
        filters=[strip, lower],
        validators=[Optional(), PlainText(64)],
    )
    q = StringField(
        _l("Reference or phone number"),
        filters=[strip],
        validators=[Optional(), PlainText(SEARCH_MAX)],
    )

    def __init__(self, *args, supervisor: bool, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor
        self.reference: str | None = None
        self.phone: str | None = None
        self.view.choices = [
            SelectChoice(name, words)
            for name, words in VIEWS.items()
            if supervisor or name not in SUPERVISOR_VIEWS
        ]
        self.status.choices = [SelectChoice("", _l("Any state"))] + [
            SelectChoice(state, states.words(state)[0]) for state in states.STAFF_MOVES
        ]
        self.category.choices = [SelectChoice("", _l("Any subject"))] + [
            SelectChoice(name, categories.words(name)) for name in categories.CATEGORIES
        ]
        self.programme.choices = [SelectChoice("", _l("Any programme"))] + [
            SelectChoice(programme, programme_name(programme))
            for programme in offer.programme_ids()
        ]
        if not supervisor:
            self.commune.choices = [SelectChoice("", _l("All your communes"))] + [
                SelectChoice(code, commune_name(code)) for code in communes
            ]

    commune = SelectField(_l("Commune"), validators=[Optional()])

    def validate_commune(self, field) -> None:
        if self.supervisor and field.data and not gazetteer.is_commune(field.data):
            raise ValidationError(str(_l("Enter the 6-digit code of a commune, like 120101")))

    def validate_assignee(self, field) -> None:
        if field.data:
            problem = username_problem(field.data)
            if problem:
                raise ValidationError(problem)

    def validate_q(self, field) -> None:
        if not field.data:
            return
        self.reference = references.normalised(field.data)
        if self.reference is None:
            self.phone = cambodian_mobile(field.data)
        if self.reference is None and self.phone is None:
            raise ValidationError(
                str(_l("Enter a reference like GR-2026-004217, or a phone number like 012 345 678"))
            )


class SupervisorQueueFilters(QueueFilters):
    """Supervisors work for the whole country: a commune by its code."""

    commune = DigitsField(_l("Commune code (6 digits)"), validators=[Optional()])


def queue_filters(formdata, *, supervisor: bool, communes=()) -> QueueFilters:
    form_class = SupervisorQueueFilters if supervisor else QueueFilters
    return form_class(formdata=formdata, supervisor=supervisor, communes=communes)


# Actions on a case


def _text(required_message=None, max_length: int = TEXT_MAX):
    presence = DataRequired(required_message) if required_message else Optional()
    return TextAreaField(filters=[strip], validators=[presence, PlainText(max_length)])


class TakeForm(VersionedForm):
    """Assign the case to oneself."""


class AssignForm(VersionedForm):
    username = StringField(
        _l("Username of the handler or supervisor"),
        filters=[strip, lower],
        validators=[DataRequired(_l("Enter a staff username, like sok.dara")), PlainText(64)],
    )

    def validate_username(self, field) -> None:
        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)


class ExcludeForm(AssignForm):
    """A staff member named in the case: they never see it again."""


class ReplyForm(VersionedForm):
    text = _text(_l("Write the reply"))


class NoteForm(VersionedForm):
    text = _text(_l("Write the note"))


class StatusForm(VersionedForm):
    status = RadioField(_l("New state"), validators=[InputRequired(_l("Choose the new state"))])
    note = _text()

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(state, states.words(state)[0]) for state in moves]


OUTCOMES = {
    states.RESOLVED: _l("Decided"),
    states.REJECTED: _l("Not taken up"),
}


class DecideForm(VersionedForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(state, words) for state, words in OUTCOMES.items()],
        validators=[InputRequired(_l("Choose the outcome"))],
    )
    decision_code = RadioField(
        _l("Decision"),
        choices=[SelectChoice(code, words) for code, words in states.DECISIONS.items()],
        validators=[InputRequired(_l("Choose the decision"))],
    )
    explanation = _text(_l("Write the decision in words the reporter understands"))


def application_reference(text: str | None) -> str | None:
    """AP-2026-004217 as typed ("ap 2026 004 217"), or None."""
    if not text or len(text) > SEARCH_MAX:
        return None
    digits = re.sub(r"[^0-9]", "", to_ascii_digits(text))
    if len(digits) != 10:
        return None
    return f"AP-{digits[:4]}-{digits[4:]}"


class LinkForm(VersionedForm):
    application = StringField(
        _l("Application reference (optional)"),
        filters=[strip],
        validators=[Optional(), PlainText(SEARCH_MAX)],
    )
    spid = DigitsField(_l("SPID of the person (optional)"), validators=[Optional()])

    def validate_application(self, field) -> None:
        field.data = application_reference(field.data)
        if field.data is None:
            raise ValidationError(str(_l("Enter an application reference like AP-2026-004217")))

    def validate_spid(self, field) -> None:
        digits = re.sub(r"[\s-]", "", field.data or "")
        if len(digits) != SPID_DIGITS or not digits.isdigit():
            raise ValidationError(str(_l("An SPID has 11 digits")))
        field.data = digits

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if valid and not self.application.data and not self.spid.data:
            self.application.errors = [str(_l("Enter an application reference or an SPID"))]
            return False
        return valid


# What a "my data is wrong" case may correct: the registry's request type and
# the person's field it proposes.
CORRECTIONS = {
    "name_km": ("name", _l("The name in Khmer")),
    "name": ("name", _l("The name in Latin letters")),
    "birth_date": ("birth_date", _l("The date of birth")),
}
NAME_MAX = 100
_KHMER_LETTER = re.compile(r"[\u1780-\u17ff]")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")


class ChangeRequestForm(VersionedForm):
    """Turn a "my data is wrong" case into a change request: what is wrong,
    and what it should be, as the handler found it with the reporter."""

    detail = RadioField(
        _l("What is wrong"),
        choices=[SelectChoice(name, words) for name, (_type, words) in CORRECTIONS.items()],
        validators=[InputRequired(_l("Choose what is wrong"))],
    )
    surname = StringField(_l("Surname"), filters=[strip], validators=[PlainText(NAME_MAX)])
    given_name = StringField(_l("Given name"), filters=[strip], validators=[PlainText(NAME_MAX)])
    birth_date = DatePartsField(_l("Date of birth"), validators=[Optional()], past_only=True)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.detail.data == "birth_date":
            if self.birth_date.data is None:
                self.birth_date.errors = [str(_l("Enter the right date of birth"))]
                return False
            return True
        script, message = (
            (_KHMER_LETTER.search, _l("Write the name in Khmer letters"))
            if self.detail.data == "name_km"
            else (_LATIN_NAME.fullmatch, _l("Write the name in Latin letters, as on the ID card"))
        )
        valid = True
        for field in (self.surname, self.given_name):
            if not field.data:
                field.errors = [str(_l("Enter the right name"))]
                valid = False
            elif not script(field.data):
                field.errors = [str(message)]
                valid = False
        return valid

    def proposed(self) -> tuple[str, dict]:
        """The registry's request type and the proposed change."""
        request_type = CORRECTIONS[self.detail.data][0]
        if self.detail.data == "birth_date":
            return request_type, {"birth_date": self.birth_date.data.isoformat()}
        name = {"surname": self.surname.data, "given_name": self.given_name.data}
        return request_type, {self.detail.data: name}
