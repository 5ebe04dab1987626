"""Phone numbers in E.164, from any Cambodian notation (Khmer digits accepted)."""

from __future__ import annotations

import phonenumbers

from portal.khmer import to_ascii_digits


def to_e164(text: str) -> str | None:
    """``០១២ ៣៤៥ ៦៧៨`` → ``+85512345678``; None when it is not a valid number."""
    try:
        number = phonenumbers.parse(to_ascii_digits(text), "KH")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
