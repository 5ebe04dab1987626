"""The figures hide every small count, and a reader who solves the published
sums cannot work one back (tests/figures/attack.py), in the demo data and in
the rules themselves."""

from __future__ import annotations

import copy

from portal.figures import publish, suppression
from portal.figures.suppression import PRIMARY, Problem, suppress
from tests.figures import attack
from tests.support.demo_data import FIGURES_COMMUNES, FIGURES_HOUSEHOLDS


def test_no_count_from_1_to_4_is_shown_anywhere(documents):
    public, staff = documents
    assert public["places"], "the demo data must show some places"
    households = {place["code"]: place["figures"]["households"] for place in staff["places"]}
    for place in public["places"]:
        assert households[place["code"]] >= publish.MIN_HOUSEHOLDS
        for figure, value in place["figures"].items():
            if value is None:
                assert place["notes"][figure] in (PRIMARY, suppression.SECONDARY)
            else:
                assert not 1 <= value <= 4, (place["code"], figure, value)
                assert figure not in place["notes"]


def test_every_small_count_is_hidden(documents):
    """As "fewer than 5", or as a dash where "1 to 4" would give it away."""
    public, staff = documents
    truth = {place["code"]: place["figures"] for place in staff["places"]}
    for place in public["places"]:
        for figure, value in truth[place["code"]].items():
            if 1 <= value <= 4:
                assert place["figures"][figure] is None, (place["code"], figure)
                assert place["notes"][figure] in (PRIMARY, suppression.SECONDARY)


def test_places_with_fewer_than_20_households_are_left_out(documents):
    public, staff = documents
    shown = {place["code"] for place in public["places"]}
    assert FIGURES_COMMUNES["A"] in shown and FIGURES_COMMUNES["D"] in shown
    assert FIGURES_HOUSEHOLDS["C"] < 20 and FIGURES_COMMUNES["C"] not in shown
    for place in staff["places"]:
        small = place["figures"]["households"] < publish.MIN_HOUSEHOLDS
        assert (place["code"] not in shown) == small, place["code"]


def test_a_reader_cannot_work_out_any_hidden_small_count(documents):
    public, staff = documents
    assert attack.recovered(public, staff) == []


def test_the_reader_would_succeed_without_the_second_hiding(documents):
    """The attack is real: with only the small counts hidden (none hidden to
    protect them), it works some of them back."""
    public, staff = documents
    weak = copy.deepcopy(public)
    truth = {place["code"]: place["figures"] for place in staff["places"]}
    for place in weak["places"]:
        for figure, why in list(place["notes"].items()):
            if why != PRIMARY:
                place["figures"][figure] = truth[place["code"]][figure]
                del place["notes"][figure]
    assert attack.recovered(weak, staff)


def test_medians_and_shares_need_enough_cases(documents):
    public, _staff = documents
    for place in public["places"]:
        notes = place["notes"]
        if "grievances.decided_on_time" in notes or "grievances.decided_late" in notes:
            assert place["share_decided_on_time"] is None


def test_a_lone_small_count_in_a_sum_takes_another_with_it():
    values = {
        ("p", "total"): 30,
        ("p", "a"): 2,
        ("p", "b"): 13,
        ("p", "c"): 15,
    }
    problem = Problem(
        values=values, equations=[(("p", "total"), (("p", "a"), ("p", "b"), ("p", "c")))]
    )
    hidden = suppress(problem)
    assert hidden == {("p", "a"): PRIMARY, ("p", "b"): suppression.SECONDARY}


def test_a_small_place_alone_among_shown_ones_is_protected():
    """A district of two shown communes and one with too few households: its
    count would be the district's less the others'."""
    values = {("d", "n"): 60, ("a", "n"): 30, ("b", "n"): 22, ("c", "n"): 8}
    problem = Problem(
        values=values,
        equations=[(("d", "n"), (("a", "n"), ("b", "n"), ("c", "n")))],
        unshown={("c", "n"): (0, 19)},
        protected_unshown={("c", "n")},
    )
    assert suppress(problem) == {("b", "n"): suppression.SECONDARY}
    assert suppression.audit(problem, {}) == {("c", "n")}


def test_a_zero_may_be_worked_out():
    values = {("d", "n"): 30, ("a", "n"): 30, ("c", "n"): 0}
    problem = Problem(
        values=values,
        equations=[(("d", "n"), (("a", "n"), ("c", "n")))],
        unshown={("c", "n"): (0, 19)},
        protected_unshown={("c", "n")},
    )
    assert suppress(problem) == {}
