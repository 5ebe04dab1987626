"""Social Protection ID (SPID): 10 random digits and a Verhoeff check digit.

Verhoeff's dihedral-group check digit catches every single-digit error and
every transposition of adjacent digits, the two mistakes people make most
when reading a number aloud or typing it from a card (Luhn misses 09↔90).
SPIDs are random, not sequential, so a number says nothing about when or
where a person registered; uniqueness is enforced by the database.
"""

from __future__ import annotations

import secrets

SPID_LENGTH = 11
_RANDOM_DIGITS = 10

# Multiplication table of the dihedral group D5.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
# Position permutations: powers of Verhoeff's permutation σ = (0 1 5 8 9 4 2 7)(3 6).
_SIGMA = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)
_P: tuple[tuple[int, ...], ...] = (tuple(range(10)),)
for _ in range(7):
    _P = (*_P, tuple(_SIGMA[digit] for digit in _P[-1]))
_INVERSE = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(digits: str) -> str:
    """The Verhoeff check digit to append to a string of ASCII digits."""
    check = 0
    for position, digit in enumerate(reversed(digits), start=1):
        check = _D[check][_P[position % 8][int(digit)]]
    return str(_INVERSE[check])


def verhoeff_is_valid(number: str) -> bool:
    """True when the last digit of ``number`` is its Verhoeff check digit."""
    if not number.isascii() or not number.isdigit():
        return False
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def new_spid() -> str:
    """A fresh random SPID (11 ASCII digits). The caller ensures uniqueness."""
    body = f"{secrets.randbelow(10**_RANDOM_DIGITS):0{_RANDOM_DIGITS}d}"
    return body + verhoeff_check_digit(body)


def is_valid_spid(value: object) -> bool:
    """True for 11 ASCII digits whose check digit is right."""
    return isinstance(value, str) and len(value) == SPID_LENGTH and verhoeff_is_valid(value)


def normalise_spid(value: str) -> str:
    """Remove the spaces and hyphens people type between the digit groups."""
    return value.replace(" ", "").replace("-", "")


def format_spid(spid: str) -> str:
    """Group an SPID for reading aloud: ``12345678901`` → ``1234 5678 901``."""
    return f"{spid[:4]} {spid[4:8]} {spid[8:]}"
