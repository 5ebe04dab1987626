"""SPID: 10 random digits + Verhoeff check digit, property-tested."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.registry.server.spid import (
    format_spid,
    is_valid_spid,
    new_spid,
    normalise_spid,
    verhoeff_check_digit,
    verhoeff_is_valid,
)

digits = st.text(alphabet="0123456789", min_size=10, max_size=10)


def test_known_verhoeff_vectors():
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_check_digit("12345") == "1"
    assert verhoeff_is_valid("2363")
    assert not verhoeff_is_valid("2364")


@settings(max_examples=300)
@given(digits)
def test_appending_the_check_digit_gives_a_valid_spid(body):
    assert is_valid_spid(body + verhoeff_check_digit(body))


@settings(max_examples=300)
@given(digits, st.integers(0, 10), st.integers(1, 9))
def test_every_single_digit_error_is_caught(body, position, shift):
    spid = body + verhoeff_check_digit(body)
    wrong = str((int(spid[position]) + shift) % 10)
    assert not is_valid_spid(spid[:position] + wrong + spid[position + 1 :])


@settings(max_examples=300)
@given(digits, st.integers(0, 9))
def test_every_adjacent_transposition_is_caught(body, position):
    spid = body + verhoeff_check_digit(body)
    if spid[position] == spid[position + 1]:
        return
    swapped = spid[:position] + spid[position + 1] + spid[position] + spid[position + 2 :]
    assert not is_valid_spid(swapped)


def test_new_spids_are_valid_random_and_eleven_digits():
    spids = {new_spid() for _ in range(2000)}
    assert len(spids) == 2000
    assert all(len(s) == 11 and s.isdigit() and is_valid_spid(s) for s in spids)
    ordered = sorted(spids)
    assert ordered != [s for s in spids]  # not issued in order


def test_display_groups_for_reading_aloud_and_typing_back():
    assert format_spid("12345678901") == "1234 5678 901"
    assert normalise_spid("1234 5678-901") == "12345678901"


def test_invalid_shapes_are_refused():
    assert not is_valid_spid("2363")
    assert not is_valid_spid("១២៣៤៥៦៧៨៩០១")
    assert not is_valid_spid(None)
