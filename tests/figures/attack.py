"""A reader who tries to work out hidden counts from the published figures.

The reader knows every sum the tables make (each place's totals, each parent
as the sum of its children), which places have records at all (more than the
pages say: the test is generous to the reader), that a "fewer than 5" is 1 to
4, that a place with no figures has fewer than 20 households, and that no
count is below 0. For each hidden count they solve two linear programmes
(scipy's HiGHS): the least and the greatest value it can have. A count is
recovered when only one whole number fits.
"""

from __future__ import annotations

import math

from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from portal.figures import tables
from portal.figures.suppression import PRIMARY


def _unknowns(public: dict, staff: dict) -> tuple[dict, dict]:
    """Each unknown count → (low, high), and every count the reader sees."""
    shown = {place["code"]: place for place in public["places"]}
    known, bounds = {}, {}
    for place in staff["places"]:
        code = place["code"]
        published = shown.get(code)
        for figure in staff["figure_ids"]:
            key = (code, figure)
            if published is None:
                bounds[key] = (0, 19 if figure == "households" else None)
            elif published["figures"][figure] is None:
                why = published["notes"][figure]
                bounds[key] = (1, 4) if why == PRIMARY else (0, None)
            else:
                known[key] = published["figures"][figure]
    return known, bounds


def _sums(staff: dict) -> list[tuple[tuple, tuple]]:
    layout = tables.Layout(tuple(staff["programmes"]), tuple(staff["categories"]))
    codes = [place["code"] for place in staff["places"]]
    found = []
    for code in codes:
        found += [((code, t), tuple((code, p) for p in parts)) for t, parts in layout.sums()]
    for parent in codes:
        kids = [c for c in codes if c != parent and tables.parent_of(c) == parent]
        if kids:
            found += [((parent, f), tuple((kid, f) for kid in kids)) for f in staff["figure_ids"]]
    return found


def unplaced(staff: dict) -> dict[str, int]:
    """The records with no commune, figure → count: in the country's figures
    only (the country's count less its provinces')."""
    by_code = {place["code"]: place for place in staff["places"]}
    provinces = [place for place in staff["places"] if place["level"] == "province"]
    return {
        figure: by_code[tables.COUNTRY]["figures"][figure]
        - sum(place["figures"][figure] for place in provinces)
        for figure in staff["figure_ids"]
    }


def ranges(public: dict, staff: dict, only=None) -> dict:
    """Every hidden count → (least, greatest) value the reader can work out.
    The records with no commune are unknowns too, in the country's sums."""
    known, bounds = _unknowns(public, staff)
    for figure in staff["figure_ids"]:
        bounds[("unplaced", figure)] = (0, None)
    sums = [
        (total, (*parts, ("unplaced", total[1])))
        if total[0] == tables.COUNTRY and parts and parts[0][0] != tables.COUNTRY
        else (total, parts)
        for total, parts in _sums(staff)
    ]
    order = sorted(bounds)
    column = {key: index for index, key in enumerate(order)}
    rows, right = [], []
    for total, parts in sums:
        row, constant = {}, 0
        for coefficient, key in [(1, total)] + [(-1, part) for part in parts]:
            if key in column:
                row[column[key]] = row.get(column[key], 0) + coefficient
            else:
                constant += coefficient * known[key]
        if row:
            rows.append(row)
            right.append(-constant)
    matrix = lil_matrix((len(rows), len(order)))
    for index, row in enumerate(rows):
        for at, coefficient in row.items():
            matrix[index, at] = coefficient
    matrix = matrix.tocsr()
    limits = [bounds[key] for key in order]
    found = {}
    for key in order if only is None else [k for k in order if k in only]:
        objective = [0] * len(order)
        objective[column[key]] = 1
        low = linprog(objective, A_eq=matrix, b_eq=right, bounds=limits, method="highs")
        objective[column[key]] = -1
        high = linprog(objective, A_eq=matrix, b_eq=right, bounds=limits, method="highs")
        assert low.status == 0, (key, low.message)
        greatest = math.inf if high.status == 3 else -high.fun
        found[key] = (low.fun, greatest)
    return found


def recovered(public: dict, staff: dict) -> list:
    """The protected counts the reader pins to one whole number: every
    "fewer than 5", every count of a place with no figures unless 0, and a
    count of 1 to 4 of records with no commune."""
    truth = {(p["code"], f): n for p in staff["places"] for f, n in p["figures"].items()}
    truth.update({("unplaced", f): n for f, n in unplaced(staff).items()})
    shown = {place["code"]: place for place in public["places"]}
    found = []
    protected = set()
    for key in truth:
        code, figure = key
        value = truth[key]
        if code == "unplaced":
            small = 1 <= value <= 4
        elif code in shown:
            small = shown[code]["notes"].get(figure) == PRIMARY
        else:
            small = value != 0
        if small:
            protected.add(key)
    for key, (low, high) in ranges(public, staff, protected).items():
        value = truth[key]
        if high < math.inf and math.floor(high + 1e-6) <= math.ceil(low - 1e-6):
            found.append((key, value, low, high))
    return found
