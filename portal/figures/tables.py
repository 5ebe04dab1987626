"""The figures of each place, counted from the registry's statistics answer.

The registry answers by commune (``GET /statistics/1.0/counts``); this module
turns that into counts for every commune, district and province and the whole
country, each a flat mapping figure id → count, and the sums they make: each
table's totals within a place, and each parent's count as the sum of its
children's (the records with no commune count for the country only, as the
place ``UNPLACED``). Days taken (to decide an application, to resolve a
grievance) are kept as tallies (days → how many) so medians can be taken at
every level. Figure ids are stable: they are the open data's column names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from portal import gazetteer
from portal.figures.suppression import Equation, Key

COUNTRY = "KH"
UNPLACED = "unplaced"  # records with no commune: in the country's figures only
SEXES = ("female", "male", "other")
AGE_BANDS = ("0_5", "6_17", "18_59", "60_plus")
CHANNELS = ("portal", "commune_office", "other")
IDPOOR = ("1", "2", "none")
APPLICATION_STATES = ("waiting", "approved", "paid", "refused", "withdrawn")
GRIEVANCE_STATES = ("open", "resolved", "rejected", "closed", "appealed")
GRIEVANCE_DEADLINES = ("overdue", "decided_on_time", "decided_late")


@dataclass
class PlaceCounts:
    code: str
    level: str  # country, province, district, commune, unplaced
    parent: str | None
    counts: Counter = field(default_factory=Counter)
    # "applications" / "applications.<programme>" / "grievances" → Counter(days → n)
    days: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def level_of(code: str) -> str:
    if code == COUNTRY:
        return "country"
    if code == UNPLACED:
        return "unplaced"
    return {2: "province", 4: "district", 6: "commune"}[len(code)]


def parent_of(code: str) -> str | None:
    if code == COUNTRY:
        return None
    if code == UNPLACED or len(code) == 2:
        return COUNTRY
    return code[: len(code) - 2]


def _commune_counts(place: dict, programmes: set, categories: set) -> PlaceCounts:
    code = place.get("commune_code")
    known = code and gazetteer.is_commune(code)
    counts = PlaceCounts(code if known else UNPLACED, "", None)
    c = counts.counts
    for row in place.get("persons", []):
        c[f"persons.{row['sex']}.{row['age_band']}"] += row["count"]
    households = place.get("households") or {}
    c["households"] += households.get("total", 0)
    for channel, number in (households.get("by_channel") or {}).items():
        c[f"households.channel.{channel}"] += number
    verified = households.get("idpoor_verified") or {}
    for level in ("1", "2"):
        c[f"households.idpoor.{level}"] += verified.get(level, 0)
    for row in place.get("applications", []):
        programmes.add(row["programme_id"])
        c[f"applications.programme.{row['programme_id']}"] += row["count"]
        c[f"applications.state.{row['state']}"] += row["count"]
        c["applications"] += row["count"]
    for row in place.get("application_decision_days", []):
        counts.days["applications"][row["days"]] += row["count"]
        counts.days[f"applications.{row['programme_id']}"][row["days"]] += row["count"]
    for row in place.get("grievances", []):
        categories.add(row["category"])
        c[f"grievances.category.{row['category']}"] += row["count"]
        c[f"grievances.state.{row['state']}"] += row["count"]
        c["grievances"] += row["count"]
    for name, number in (place.get("grievance_deadlines") or {}).items():
        c[f"grievances.{name}"] += number
    for row in place.get("grievance_resolution_days", []):
        counts.days["grievances"][row["days"]] += row["count"]
    return counts


def _crosstab(prefix: str, rows: tuple, columns: tuple, row_name: str, column_name: str):
    """Ids and sums of a table of ``rows`` × ``columns`` with its totals:
    ``prefix.<row>.<column>``, ``prefix.<row_name>.<row>``,
    ``prefix.<column_name>.<column>``, ``prefix``."""
    cell = {(r, col): f"{prefix}.{r}.{col}" for r in rows for col in columns}
    row_total = {r: f"{prefix}.{row_name}.{r}" for r in rows}
    column_total = {col: f"{prefix}.{column_name}.{col}" for col in columns}
    sums = [(row_total[r], tuple(cell[r, col] for col in columns)) for r in rows]
    sums += [(column_total[col], tuple(cell[r, col] for r in rows)) for col in columns]
    sums += [(prefix, tuple(row_total.values())), (prefix, tuple(column_total.values()))]
    return sums


@dataclass(frozen=True)
class Layout:
    """The figures every place has, and the sums among them within a place."""

    programmes: tuple[str, ...]
    categories: tuple[str, ...]

    def sums(self) -> list[tuple[str, tuple[str, ...]]]:
        channels = tuple(f"households.channel.{c}" for c in CHANNELS)
        idpoor = tuple(f"households.idpoor.{level}" for level in IDPOOR)
        return [
            ("households", channels),
            ("households", idpoor),
            *_crosstab("persons", SEXES, AGE_BANDS, "sex", "age"),
            # Applications and complaints by programme (subject) and by state,
            # not both at once: at a commune most pairs would be small counts.
            ("applications", tuple(f"applications.programme.{p}" for p in self.programmes)),
            ("applications", tuple(f"applications.state.{s}" for s in APPLICATION_STATES)),
            ("grievances", tuple(f"grievances.category.{c}" for c in self.categories)),
            ("grievances", tuple(f"grievances.state.{s}" for s in GRIEVANCE_STATES)),
        ]

    def figure_ids(self) -> list[str]:
        ids = dict.fromkeys(["households"])
        for total, parts in self.sums():
            ids.update(dict.fromkeys((total, *parts)))
        ids.update(dict.fromkeys(f"grievances.{name}" for name in GRIEVANCE_DEADLINES))
        return list(ids)


def _complete(counts: PlaceCounts, layout: Layout) -> None:
    """Totals from the cells (rows, then the grand totals); the households
    with no verified IDPoor card from the households."""
    c = counts.counts
    c["households.idpoor.none"] = (
        c["households"] - c["households.idpoor.1"] - c["households.idpoor.2"]
    )
    for total, parts in layout.sums():
        if total != "households" and not c[total]:
            c[total] = sum(c[part] for part in parts)
    for figure in layout.figure_ids():
        c.setdefault(figure, 0)


def build(answer: dict, known_programmes, known_categories) -> tuple[dict, Layout]:
    """Every place with records (and its parents) → PlaceCounts, and the layout."""
    programmes, categories = set(), set()  # those with records only
    communes = [_commune_counts(place, programmes, categories) for place in answer["places"]]
    layout = Layout(
        programmes=tuple(p for p in known_programmes if p in programmes)
        + tuple(sorted(programmes - set(known_programmes))),
        categories=tuple(known_categories) + tuple(sorted(categories - set(known_categories))),
    )
    places: dict[str, PlaceCounts] = {}
    for commune in communes:
        code = commune.code
        while code is not None:
            place = places.get(code)
            if place is None:
                place = places[code] = PlaceCounts(code, level_of(code), parent_of(code))
            place.counts.update(commune.counts)
            for name, tally in commune.days.items():
                place.days[name].update(tally)
            code = place.parent
    places.setdefault(COUNTRY, PlaceCounts(COUNTRY, "country", None))
    for place in places.values():
        _complete(place, layout)
    return places, layout


def equations(places: dict[str, PlaceCounts], layout: Layout) -> list[Equation]:
    """Within each place its tables' sums; across places each parent's count
    as the sum of its children's, figure by figure."""
    found: list[Equation] = []
    sums = layout.sums()
    for code in places:
        found += [((code, t), tuple((code, p) for p in parts)) for t, parts in sums]
    children: dict[str, list[str]] = defaultdict(list)
    for code, place in places.items():
        if place.parent is not None:
            children[place.parent].append(code)
    figures = layout.figure_ids()
    for parent, kids in children.items():
        kids.sort()
        found += [((parent, f), tuple((kid, f) for kid in kids)) for f in figures]
    return found


HEADLINES = frozenset(
    {
        "households",
        "persons",
        "applications",
        "applications.state.waiting",
        "grievances",
        "grievances.overdue",
    }
)
TOTALS = (".sex.", ".age.", ".state.", ".programme.", ".category.", ".decided_")


def rank(figure: str) -> int:
    """How much hiding a figure costs a reader: a page's headline figures
    most, then the totals of the tables, then their cells."""
    if figure in HEADLINES:
        return 2
    return 1 if any(part in figure for part in TOTALS) else 0


def values(places: dict[str, PlaceCounts], layout: Layout) -> dict[Key, int]:
    return {
        (code, f): place.counts[f] for code, place in places.items() for f in layout.figure_ids()
    }
