"""Forms of the officer's work lists: confirm a change request, or refuse it
with a reason. Each carries the version of the request the officer saw; the
registry refuses the decision (412) when someone else changed it since."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal.officer.worklists import REFUSAL_MAX
from portal.web.forms_base import PlainText, VersionedForm


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(VersionedForm):
    """Confirm: the registry applies the change."""


class RefuseForm(VersionedForm):
    reason = TextAreaField(
        _l("Why it is refused"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write why, in words the person understands")),
            PlainText(REFUSAL_MAX),
        ],
    )
