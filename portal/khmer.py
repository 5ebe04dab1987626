"""Khmer text helpers: digits and comparison keys.

People type Khmer in many byte orders that look the same on screen. These
helpers build *comparison keys* (for search and de-duplication) and convert
digits; the text a person typed is always kept as typed for display.
"""

from __future__ import annotations

import re
import unicodedata

from khmerspell import khnormal

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII = str.maketrans(KHMER_DIGITS, "0123456789")
_TO_KHMER = str.maketrans("0123456789", KHMER_DIGITS)

# Invisible characters that people (and some keyboards) put inside Khmer text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Replace Khmer digits ០-៩ with 0-9, leaving everything else as it is."""
    return text.translate(_TO_ASCII)


def to_khmer_digits(text: str) -> str:
    """Replace 0-9 with Khmer digits ០-៩, leaving everything else as it is."""
    return text.translate(_TO_KHMER)


def comparison_key(text: str | None) -> str:
    """A key under which two spellings a reader would call the same are equal.

    NFC, invisible characters removed, Khmer reordered with SIL's normaliser
    (which also merges េ+ី into ើ and coeng DA into coeng TA), digits made
    ASCII, whitespace folded, Latin letters case-folded.
    """
    if not text:
        return ""
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    cleaned = khnormal(cleaned)
    cleaned = to_ascii_digits(cleaned)
    return _SPACES.sub(" ", cleaned).strip().casefold()


_NOT_DIGITS = re.compile(r"[^0-9]")
SPID_LENGTH = 11


def spid_groups(spid: str) -> str:
    """A Social Protection ID in groups of 3, 3, 3 and 2 digits, to read aloud
    and copy: 02715805414 → 027 158 054 14 (also from ០២៧... or other spacing).
    Anything that is not 11 digits is returned as it is."""
    digits = _NOT_DIGITS.sub("", to_ascii_digits(spid))
    if len(digits) != SPID_LENGTH:
        return spid
    return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))


def readable_reference(reference: str) -> str:
    """A reference number with long runs of digits in threes, so it can be read
    aloud and typed back: GR-2026-004217 → GR-2026-004 217."""

    def group(match: re.Match) -> str:
        digits = match.group(0)
        return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))

    return re.sub(r"\d{5,}", group, reference)
