"""WTForms' own messages in the page's language.

WTForms ships no Khmer catalogue, so its messages ("Field cannot be longer
than 64 characters.") go through ours: every PortalForm gets
`wtforms_translations()` as its translations object (forms_base.PortalForm.Meta).
The messages are listed here, word for word as WTForms 3 writes them, so that
`make translations` extracts them; singular and plural forms are separate
entries, and each is looked up as itself.
"""

from __future__ import annotations

from flask_babel import get_translations


def N_(message: str) -> str:
    """Marks a message for extraction (`N_` is a name `pybabel extract` knows);
    it is translated when WTForms uses it."""
    return message


WTFORMS_MESSAGES = (
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be exactly %(max)d character long."),
    N_("Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
)


class _PortalCatalogue:
    """The translations object WTForms asks: `gettext` and `ngettext`, answered
    from the portal's catalogue in the current request's language."""

    def gettext(self, message: str) -> str:
        return get_translations().gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return get_translations().gettext(singular if count == 1 else plural)


_CATALOGUE = _PortalCatalogue()


def wtforms_translations() -> _PortalCatalogue:
    return _CATALOGUE
