"""Public figures (/figures): a place's page, what they mean, the open data.

Read from the newest public edition (``editions``): a page counts nothing.
Places are addressed by gazetteer code (2, 4 or 6 digits); any other address
is not found. No sign-in and no form: a page is the same for every first-time
visitor, so it is made once per edition, language and address.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from portal import gazetteer
from portal.figures import editions, open_data, page, tables
from portal.web.visitor_pages import same_until_changed

blueprint = Blueprint("figures", __name__, url_prefix="/figures")


@blueprint.context_processor
def figure_helpers() -> dict:
    return page.HELPERS


FINDERS = {2: gazetteer.province, 4: gazetteer.district, 6: gazetteer.commune}


def known_place(code: str):
    """The gazetteer place of a code, or 404."""
    find = FINDERS.get(len(code))
    place = find(code) if find else None
    if place is None:
        abort(404)
    return place


def trail(code: str) -> list:
    """The places above ``code``, from the country down (for the breadcrumbs)."""
    found = []
    for length in (2, 4):
        if len(code) > length:
            found.append(known_place(code[:length]))
    return found


def render_place(code: str, edition: editions.Edition | None, *, staff: bool = False):
    place = None if code == tables.COUNTRY else known_place(code)
    shown = edition.places.get(code) if edition else None
    document = edition.document if edition else {}
    return render_template(
        "figures/place.html",
        code=code,
        place=place,
        trail=trail(code) if place else [],
        edition=edition,
        shown=shown,
        tables=(
            page.tables_of(shown, document["programmes"], document["categories"]) if shown else {}
        ),
        children=page.children(edition.places, code) if edition else [],
        ranking=page.ranking(edition.places, code) if edition and len(code) != 6 else [],
        staff=staff,
    )


def _edition_id() -> int | None:
    edition = editions.public()
    return edition.id if edition else None


# The same for every first-time visitor until the next edition: made once.
kept = same_until_changed(_edition_id)


@blueprint.get("")
@kept
def country():
    return render_place(tables.COUNTRY, editions.public())


@blueprint.get("/<code>")
@kept
def place(code: str):
    return render_place(code, editions.public())


@blueprint.get("/about")
@kept
def about():
    return render_template("figures/about.html", edition=editions.public())


@blueprint.get("/figures.csv")
def csv_file() -> Response:
    return open_data.csv_response(editions.public(), "figures.csv")


@blueprint.get("/figures.json")
def json_file() -> Response:
    return open_data.json_response(editions.public())


@blueprint.get("/schema.json")
def schema() -> Response:
    return open_data.schema_response()
