"""From the registry's counts to the two editions of the figures.

- The public edition: a place with fewer than 20 households registered is
  not in it at all (not even whether it has records); in the others every
  count is shown, or hidden by ``suppression`` (``notes`` says why);
  medians only from 5 or more cases; the share decided on time only when
  both its counts are shown. No free text anywhere.
- The staff edition: the same figures, nothing hidden, for ``admin`` and
  ``analyst`` staff (each view of it is logged).
"""

from __future__ import annotations

from collections import Counter

from portal import gazetteer
from portal.figures import suppression, tables
from portal.figures.tables import COUNTRY, UNPLACED, Layout, PlaceCounts

MIN_HOUSEHOLDS = 20
MIN_CASES_FOR_MEDIAN = 5
SCHEMA_VERSION = "1.0"


def names(code: str) -> tuple[str, str]:
    """The place's name in Khmer and English (the country's in the templates)."""
    if code == COUNTRY:
        return "កម្ពុជា", "Cambodia"
    place = {2: gazetteer.province, 4: gazetteer.district, 6: gazetteer.commune}[len(code)](code)
    return (place.name_km, place.name_en) if place else (code, code)


def median(tally: Counter) -> float | None:
    """The median of a tally of days (days → how many cases)."""
    total = sum(tally.values())
    if not total:
        return None
    wanted = (total - 1) // 2, total // 2  # the middle case(s), counted from 0
    found, seen = [], 0
    for days in sorted(tally):
        for position in wanted:
            if seen <= position < seen + tally[days]:
                found.append(days)
        seen += tally[days]
    return sum(found) / len(found)


def _medians(place: PlaceCounts, layout: Layout, least: int) -> dict[str, float | None]:
    found = {}
    by_programme = [f"applications.{p}" for p in layout.programmes]
    for name in ("applications", "grievances", *by_programme):
        tally = place.days.get(name) or Counter()
        found[name] = median(tally) if sum(tally.values()) >= least else None
    return found


def _problem(places: dict[str, PlaceCounts], layout: Layout) -> suppression.Problem:
    values = tables.values(places, layout)
    problem = suppression.Problem(
        values=values,
        equations=tables.equations(places, layout),
        rank={figure: tables.rank(figure) for figure in layout.figure_ids()},
    )
    for code, place in places.items():
        if code != UNPLACED and place.counts["households"] >= MIN_HOUSEHOLDS:
            continue
        for figure in layout.figure_ids():
            key = (code, figure)
            small_place = code != UNPLACED
            high = (
                MIN_HOUSEHOLDS - 1
                if figure == "households" and small_place
                else suppression.INFINITY
            )
            problem.unshown[key] = (0, high)
            if small_place or suppression.is_small(values[key]):
                problem.protected_unshown.add(key)
    return problem


def _share(counts: dict, notes: dict) -> int | None:
    on_time, late = "grievances.decided_on_time", "grievances.decided_late"
    if on_time in notes or late in notes:
        return None
    decided = counts[on_time] + counts[late]
    return round(100 * counts[on_time] / decided) if decided else None


def _place_entry(code: str, place: PlaceCounts) -> dict:
    name_km, name_en = names(code)
    return {
        "code": code,
        "level": place.level,
        "parent": place.parent,
        "name_km": name_km,
        "name_en": name_en,
    }


def editions(answer: dict, programmes, categories) -> tuple[dict, dict]:
    """(public edition, staff edition) of the registry's statistics answer."""
    places, layout = tables.build(answer, programmes, categories)
    hidden = suppression.suppress(_problem(places, layout))
    public, staff = [], []
    for code in sorted(places, key=lambda c: (len(c) if c != COUNTRY else 0, c)):
        if code == UNPLACED:
            continue
        place = places[code]
        entry = _place_entry(code, place)
        counts = {figure: place.counts[figure] for figure in layout.figure_ids()}
        if counts["households"] >= MIN_HOUSEHOLDS:
            notes = {f: why for (c, f), why in hidden.items() if c == code}
            public.append(
                {
                    **entry,
                    "figures": {f: (None if f in notes else n) for f, n in counts.items()},
                    "notes": notes,
                    "medians": _medians(place, layout, MIN_CASES_FOR_MEDIAN),
                    "share_decided_on_time": _share(counts, notes),
                }
            )
        staff.append(
            {
                **entry,
                "figures": counts,
                "notes": {},
                "medians": _medians(place, layout, 1),
                "share_decided_on_time": _share(counts, {}),
            }
        )
    head = {
        "schema_version": SCHEMA_VERSION,
        "as_of": answer["as_of"],
        "computed_at": answer["computed_at"],
        "programmes": list(layout.programmes),
        "categories": list(layout.categories),
        "figure_ids": layout.figure_ids(),
    }
    return {**head, "places": public}, {**head, "places": staff}
