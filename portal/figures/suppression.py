"""Which counts to hide so that no small number can be read or worked out.

The published figures are counts in tables with totals (a place's households
by channel add up to its households; a district's count is the sum of its
communes'), so hiding a small count alone is not enough: a reader could
subtract it back. This module decides, for all places at once:

- every count from 1 to 4 is hidden and shown as "fewer than 5" (primary);
- cells never shown (the places with too few households, the records with no
  place) are unknowns whose values must not be worked out either, unless 0;
- then, while a reader could still work out one of those (``audit``), one
  more count in one of its sums is hidden (secondary, shown as a dash: "hidden
  so that small numbers cannot be worked out"; it may be any number, 0 too):
  the cheapest there (a 0 first, then the least important figure, then the
  smallest), else the cheapest nearest shown count along the sums; when
  every count around it is hidden already and it is pinned only by what
  "fewer than 5" says (1 to 4), it is shown as a dash instead.

``audit`` reads the tables as a careful reader would: each sum narrows what
its unknown counts can be (a "fewer than 5" is 1 to 4, a place's households
fewer than 20, no count below 0), again and again until nothing
narrows; then exact elimination over the sums finds any unknown fixed by a
combination of them. A count is exposed when it is fixed either way. Plain
functions of numbers: nothing here knows what the counts mean.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

Key = tuple[str, str]  # (place code, figure id)
Equation = tuple[Key, tuple[Key, ...]]  # total, the parts it is the sum of

SMALL_UP_TO = 4
PRIMARY = "fewer_than_5"
SECONDARY = "hidden"
INFINITY = math.inf
MAX_ROUNDS = 500


@dataclass
class Problem:
    """Every count, the sums they make, and the cells never shown with what a
    reader knows of them (lowest and highest possible value)."""

    values: dict[Key, int]
    equations: list[Equation]
    unshown: dict[Key, tuple[float, float]] = field(default_factory=dict)
    # Unshown cells whose value must stay unknown (a value of 0 may be known).
    protected_unshown: set[Key] = field(default_factory=set)
    # What hiding a count costs the reader (lower is hidden first): a figure
    # id → a rank; the page's headline figures rank highest.
    rank: dict[str, int] = field(default_factory=dict)

    def cost(self, key: Key) -> tuple[int, int, Key]:
        value = self.values.get(key, 0)
        return (0 if value == 0 else 1 + self.rank.get(key[1], 0), value, key)


def is_small(value: int) -> bool:
    return 1 <= value <= SMALL_UP_TO


def _bounds(problem: Problem, hidden: dict[Key, str]) -> dict[Key, list[float]]:
    """What a reader knows of each unknown before reading the sums."""
    bounds = {key: [lo, hi] for key, (lo, hi) in problem.unshown.items()}
    for key, why in hidden.items():
        bounds[key] = [1, SMALL_UP_TO] if why == PRIMARY else [0, INFINITY]
    return bounds


def _terms(equation: Equation) -> list[tuple[int, Key]]:
    total, parts = equation
    return [(1, total)] + [(-1, part) for part in parts]


def _narrow(problem: Problem, bounds: dict[Key, list[float]], by_key) -> None:
    """Interval reasoning over each sum until nothing narrows (values are whole)."""
    pending = set(range(len(problem.equations)))
    while pending:
        index = pending.pop()
        terms = _terms(problem.equations[index])
        constant = 0.0
        unknown = []
        for coefficient, key in terms:
            if key in bounds:
                unknown.append((coefficient, key))
            else:
                constant += coefficient * problem.values[key]
        if not unknown:
            continue
        # Range of each term coefficient * x.
        ranges = []
        for coefficient, key in unknown:
            lo, hi = bounds[key]
            ranges.append((lo, hi) if coefficient > 0 else (-hi, -lo))
        low_sum = sum(r[0] for r in ranges if r[0] != -INFINITY)
        low_inf = sum(1 for r in ranges if r[0] == -INFINITY)
        high_sum = sum(r[1] for r in ranges if r[1] != INFINITY)
        high_inf = sum(1 for r in ranges if r[1] == INFINITY)
        for (coefficient, key), (lo_term, hi_term) in zip(unknown, ranges, strict=True):
            # coefficient * x = -constant - (sum of the other terms)
            others_low_inf = low_inf - (lo_term == -INFINITY)
            others_high_inf = high_inf - (hi_term == INFINITY)
            others_low = (
                -INFINITY if others_low_inf else low_sum - (lo_term if lo_term != -INFINITY else 0)
            )
            others_high = (
                INFINITY if others_high_inf else high_sum - (hi_term if hi_term != INFINITY else 0)
            )
            term_low, term_high = -constant - others_high, -constant - others_low
            new_lo, new_hi = (term_low, term_high) if coefficient > 0 else (-term_high, -term_low)
            lo, hi = bounds[key]
            new_lo = max(lo, math.ceil(new_lo) if new_lo != -INFINITY else lo)
            new_hi = min(hi, math.floor(new_hi) if new_hi != INFINITY else hi)
            if new_lo > new_hi:
                raise ValueError(f"figures: the sums do not add up at {key}")
            if new_lo > lo or new_hi < hi:
                bounds[key] = [new_lo, new_hi]
                pending.update(by_key[key])


def _eliminate(row: dict[Key, Fraction], pivot: Key, pivot_row: dict[Key, Fraction]) -> None:
    """Take ``pivot_row`` (its pivot's coefficient 1) times the row's
    coefficient of ``pivot`` from the row, in place."""
    factor = row.get(pivot)
    if not factor:
        return
    for key, value in pivot_row.items():
        updated = row.get(key, Fraction(0)) - factor * value
        if updated:
            row[key] = updated
        else:
            row.pop(key, None)


def _determined(problem: Problem, bounds: dict[Key, list[float]]) -> set[Key]:
    """Unknowns fixed by a combination of sums: exact elimination (fractions)
    over the sums' unknowns; an unknown is fixed when its row in the reduced
    system has no free unknown."""
    unknown = {key for key, (lo, hi) in bounds.items() if lo != hi}
    rows: list[dict[Key, Fraction]] = []
    for equation in problem.equations:
        row = {}
        for coefficient, key in _terms(equation):
            if key in unknown:
                row[key] = row.get(key, Fraction(0)) + coefficient
        row = {key: value for key, value in row.items() if value}
        if row:
            rows.append(row)
    pivots: dict[Key, dict[Key, Fraction]] = {}
    for row in rows:
        row = dict(row)
        for pivot, pivot_row in pivots.items():
            _eliminate(row, pivot, pivot_row)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {key: value / scale for key, value in row.items()}
        for other in pivots.values():
            _eliminate(other, pivot, row)
        pivots[pivot] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def audit(problem: Problem, hidden: dict[Key, str], *, exact: bool = True) -> set[Key]:
    """The protected unknowns a reader can work out exactly from what is shown
    (``exact=False``: by interval reasoning only, the quick first pass)."""
    by_key: dict[Key, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(problem.equations):
        for key in (total, *parts):
            by_key[key].append(index)
    bounds = _bounds(problem, hidden)
    _narrow(problem, bounds, by_key)
    fixed = {key for key, (lo, hi) in bounds.items() if lo == hi}
    if exact:
        fixed |= _determined(problem, bounds)
    protected = {key for key, why in hidden.items() if why == PRIMARY}
    protected |= {key for key in problem.protected_unshown if problem.values.get(key, 0)}
    return fixed & protected


def _shown(problem: Problem, hidden: dict[Key, str], key: Key) -> bool:
    return key not in hidden and key not in problem.unshown


def _candidates(problem: Problem, equation: Equation, hidden: dict[Key, str]) -> list[Key]:
    """Shown counts of a sum that may be hidden to protect another (not 1 to
    4: those are hidden already), cheapest first."""
    total, parts = equation
    shown = [key for key in (*parts, total) if _shown(problem, hidden, key)]
    return sorted(shown, key=problem.cost)


def _nearest_shown(
    problem: Problem, hidden: dict[Key, str], start: Key, equations_of
) -> Key | None:
    """The cheapest shown count nearest to ``start`` along the sums (a
    breadth-first walk through the unknowns)."""
    seen, frontier = {start}, [start]
    while frontier:
        found, following = [], []
        for key in frontier:
            for total, parts in equations_of[key]:
                for other in (total, *parts):
                    if other in seen:
                        continue
                    seen.add(other)
                    (found if _shown(problem, hidden, other) else following).append(other)
        if found:
            return min(found, key=problem.cost)
        frontier = following
    return None


def suppress(problem: Problem) -> dict[Key, str]:
    """The counts to hide: key → PRIMARY or SECONDARY."""
    hidden = {
        key: PRIMARY
        for key, value in problem.values.items()
        if is_small(value) and key not in problem.unshown
    }
    equations_of: dict[Key, list[Equation]] = defaultdict(list)
    for equation in problem.equations:
        for key in (equation[0], *equation[1]):
            equations_of[key].append(equation)
    for _round in range(MAX_ROUNDS):
        # Elimination is slow: only once interval reasoning finds nothing more.
        exposed = audit(problem, hidden, exact=False) or audit(problem, hidden)
        if not exposed:
            return hidden
        added = _hide_one_more(problem, hidden, sorted(exposed), equations_of)
        if not added:
            raise RuntimeError(f"figures: a small count cannot be protected: {sorted(exposed)[:5]}")
    raise RuntimeError("figures: suppression did not settle")


def _hide_one_more(problem, hidden, exposed: Iterable[Key], equations_of) -> bool:
    """For each exposed count, hide the smallest shown count of 5 or more in
    the sum with the fewest unknowns it is in (one per sum per round); when
    its sums have none, the nearest shown count."""
    added = False
    touched: set[int] = set()
    for key in exposed:
        options = sorted(
            equations_of[key],
            key=lambda eq: sum(1 for k in (eq[0], *eq[1]) if not _shown(problem, hidden, k)),
        )
        if any(id(equation) in touched for equation in options):
            continue
        offered = [found for eq in options for found in _candidates(problem, eq, hidden)[:1]]
        chosen = min(offered, key=problem.cost) if offered else None
        if chosen is None:
            chosen = _nearest_shown(problem, hidden, key, equations_of)
        if chosen is None and hidden.get(key) == PRIMARY:
            # Only hidden counts around it, pinned by what "fewer than 5"
            # says (1 to 4): a dash says nothing, so it takes one.
            chosen = key
        if chosen is not None:
            hidden[chosen] = SECONDARY
            touched.update(id(equation) for equation in equations_of[chosen])
            added = True
    return added
