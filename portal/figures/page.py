"""What a place's figures page shows: its key numbers, tables and charts,
made from one place of an edition (public or staff). No numbers are counted
here: they are read from the edition, hidden ones stay hidden."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal import gazetteer
from portal.figures import tables, words
from portal.figures.suppression import PRIMARY
from portal.i18n import current_language, format_number
from portal.web import charts

RANKED = 10


@dataclass(frozen=True)
class Cell:
    """A count as shown: the number, or None with why it is hidden."""

    value: int | None
    hidden: str | None = None  # PRIMARY or SECONDARY


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    head: list[str]
    rows: list[tuple[str, list[Cell]]]


def place_name(place) -> str:
    """A gazetteer place or an edition's place, in the page's language."""
    if isinstance(place, dict):
        km, en = place["name_km"], place["name_en"]
    else:
        km, en = place.name_km, place.name_en
    return km if current_language() == "km" else en


def cell(place: dict, figure: str) -> Cell:
    return Cell(place["figures"].get(figure), place["notes"].get(figure))


def _table(place: dict, id_: str, caption, head, rows) -> Table:
    return Table(
        id=id_,
        caption=str(caption),
        head=[str(title) for title in head],
        rows=[(str(label), [cell(place, figure) for figure in figures]) for label, figures in rows],
    )


def tables_of(place: dict, programmes: list[str], categories: list[str]) -> dict[str, Table]:
    total = _("All")
    found = {
        "channels": _table(
            place,
            "channels",
            _("Households by how they registered"),
            [_("How"), _("Households")],
            [(words.CHANNELS[c], [f"households.channel.{c}"]) for c in tables.CHANNELS]
            + [(total, ["households"])],
        ),
        "idpoor": _table(
            place,
            "idpoor",
            _("Households by Equity Card (IDPoor)"),
            [_("Equity Card"), _("Households")],
            [(words.IDPOOR[level], [f"households.idpoor.{level}"]) for level in tables.IDPOOR],
        ),
        "persons": _table(
            place,
            "persons",
            _("People registered by sex and age"),
            [_("Age"), *(words.SEXES[s] for s in tables.SEXES), total],
            [
                (
                    words.AGE_BANDS[band],
                    [f"persons.{s}.{band}" for s in tables.SEXES] + [f"persons.age.{band}"],
                )
                for band in tables.AGE_BANDS
            ]
            + [(total, [f"persons.sex.{s}" for s in tables.SEXES] + ["persons"])],
        ),
        "programmes": _table(
            place,
            "programmes",
            _("Applications by programme"),
            [_("Programme"), _("Applications")],
            [(words.programme(p), [f"applications.programme.{p}"]) for p in programmes]
            + [(total, ["applications"])],
        ),
        "application_states": _table(
            place,
            "application-states",
            _("Applications by state"),
            [_("State"), _("Applications")],
            [
                (words.APPLICATION_STATES[s], [f"applications.state.{s}"])
                for s in tables.APPLICATION_STATES
            ]
            + [(total, ["applications"])],
        ),
        "subjects": _table(
            place,
            "subjects",
            _("Complaints by subject"),
            [_("Subject"), _("Complaints")],
            [(words.category(c), [f"grievances.category.{c}"]) for c in categories]
            + [(total, ["grievances"])],
        ),
        "grievance_states": _table(
            place,
            "grievance-states",
            _("Complaints by state"),
            [_("State"), _("Complaints")],
            [
                (words.GRIEVANCE_STATES[s], [f"grievances.state.{s}"])
                for s in tables.GRIEVANCE_STATES
            ]
            + [(total, ["grievances"])],
        ),
    }
    return found


def bars(rows: list[tuple[str, list[Cell]]], series: int = 1) -> charts.Chart:
    """A bar chart of the first ``series`` cells of each row (hidden: no bar)."""
    return charts.chart(
        [(label, tuple(c.value for c in cells[:series])) for label, cells in rows], series=series
    )


def children(edition_places: dict[str, dict], code: str) -> list[tuple[object, dict | None]]:
    """The places one level down, each with its figures if it has any shown."""
    if code == tables.COUNTRY:
        below = gazetteer.provinces()
    elif len(code) == 2:
        below = gazetteer.districts(code)
    elif len(code) == 4:
        below = gazetteer.communes(code)
    else:
        below = []
    return [(place, edition_places.get(place.code)) for place in below]


def ranking(edition_places: dict[str, dict], code: str) -> list[tuple[str, str, Cell]]:
    """Up to ten communes within the place with the most households registered
    (only communes that show figures, and only their shown count)."""
    prefix = "" if code == tables.COUNTRY else code
    communes = [
        place
        for key, place in edition_places.items()
        if len(key) == 6 and key.startswith(prefix) and place["figures"].get("households")
    ]
    communes.sort(key=lambda place: (-place["figures"]["households"], place["code"]))
    return [
        (place["code"], place_name(place), cell(place, "households")) for place in communes[:RANKED]
    ]


def shown_value(place: dict, figure: str) -> str:
    """A count as the page writes it: the number, "fewer than 5", or a dash."""
    found = cell(place, figure)
    if found.value is not None:
        return format_number(found.value)
    return str(words.PRIMARY) if found.hidden == PRIMARY else "–"


def median_text(days: float | None) -> str:
    if days is None:
        return "–"
    return _("%(days)s days", days=format_number(round(days, 1)))


def state_bars(table: Table) -> charts.Chart:
    """One bar per row of a one-column table, its total row left out."""
    return bars(table.rows[:-1])


def ranking_rows(ranking: list[tuple[str, str, Cell]]) -> list[tuple[str, list[Cell]]]:
    return [(name, [found]) for _code, name, found in ranking]


HELPERS = {
    "place_name": place_name,
    "shown_value": shown_value,
    "median": median_text,
    "bars": bars,
    "state_bars": state_bars,
    "ranking_rows": ranking_rows,
    "cell": cell,
}
