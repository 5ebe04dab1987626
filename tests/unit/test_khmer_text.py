"""Comparison keys treat spellings a reader cannot tell apart as equal (KHMER.md)."""

import pytest

from portal.khmer import comparison_key, to_ascii_digits, to_khmer_digits


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        # coeng DA and coeng TA look identical: the gazetteer spells Kandal both ways
        ("កណ្ដាល", "កណ្តាល"),
        # zero-width space, zero-width (non-)joiners and BOM are invisible
        ("សុខ\u200bជា", "សុខជា"),
        ("សុ\u200cខ\u200dជា\ufeff", "សុខជា"),
        # េ + ី typed as two vowels is the same as the single vowel ើ
        ("ស\u17c1\u17b8ម", "ស\u17be\u1798"),
        # vowel typed before the coeng subscript is reordered after it
        ("ស\u17b6\u17d2រ", "ស\u17d2រ\u17b6"),
        # Latin letters: case and spacing do not matter
        ("  Sok   CHEA ", "sok chea"),
        # Khmer digits are digits
        ("ភូមិ ១", "ភូមិ 1"),
    ],
)
def test_equivalent_spellings_share_a_key(typed, canonical):
    assert comparison_key(typed) == comparison_key(canonical)


def test_different_names_keep_different_keys():
    assert comparison_key("សុខ") != comparison_key("សុក")
    assert comparison_key("ថ្មី") != comparison_key("ថ្មា")


def test_empty_and_missing_text():
    assert comparison_key(None) == ""
    assert comparison_key("\u200b ") == ""


def test_digit_conversion_round_trip():
    assert to_ascii_digits("០១២ ៣៤៥ ៦៧៨៩") == "012 345 6789"
    assert to_khmer_digits("2025-03-14") == "២០២៥-០៣-១៤"
    assert int(to_ascii_digits("០៩៩")) == 99
