"""Staff sign-in forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from portal.staff.services import MAX_PASSWORD_LENGTH, password_problems
from portal.web.forms_base import DigitsField, PortalForm


class SecretField(PasswordField):
    """A password box that never shows back what was typed."""

    def _value(self) -> str:
        return ""


class LoginForm(PortalForm):
    username = StringField(
        _l("Username"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Enter your username")), Length(max=64)],
    )
    password = SecretField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
    )


class CodeForm(PortalForm):
    code = DigitsField(
        _l("Code from your authenticator app"),
        validators=[
            DataRequired(_l("Enter the 6-digit code from your authenticator app")),
            Regexp(r"^[0-9]{6}$", message=_l("The code has 6 digits, for example 123456")),
        ],
    )


class PasswordChangeForm(PortalForm):
    current_password = SecretField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )
    new_password = SecretField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password"))]
    )
    confirm_password = SecretField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("new_password", message=_l("The two new passwords are not the same")),
        ],
    )

    def __init__(self, username: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username

    def validate_new_password(self, field) -> None:
        problems = password_problems(field.data or "", self.username)
        if problems:
            field.errors.extend(str(problem) for problem in problems)


class SignOutForm(PortalForm):
    """Only the CSRF token: signing out is a POST."""
