"""Where a person lives, asked one level a page: province, then district,
commune and village, each a list of the gazetteer's names in the page's
language (no typing, no JavaScript). Used by registration and by the
"moved house" change request.

Answers are kept as a dict of codes by level; choosing a new province forgets
the district, commune and village chosen under the old one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from portal import gazetteer
from portal.i18n import current_language
from portal.web.forms_base import PortalForm

LEVELS = ("province", "district", "commune", "village")
CHOOSE_PLACE = _l("Choose one place from the list")
_CHILDREN = {
    "district": gazetteer.districts,
    "commune": gazetteer.communes,
    "village": gazetteer.villages,
}


class PlaceQuestion(PortalForm):
    code = RadioField(validators=[InputRequired(CHOOSE_PLACE)], validate_choice=True)


def parent_level(level: str) -> str | None:
    index = LEVELS.index(level)
    return LEVELS[index - 1] if index else None


def options(level: str, codes: dict) -> list[gazetteer.Place]:
    """The places to choose from at `level`, under the place chosen one level up."""
    parent = parent_level(level)
    if parent is None:
        return gazetteer.provinces()
    parent_code = codes.get(parent)
    return _CHILDREN[level](parent_code) if parent_code else []


def place_name(place: gazetteer.Place | dict) -> str:
    """A place's name in the page's language."""
    if isinstance(place, dict):
        return place["name_km"] if current_language() == "km" else place["name_en"]
    return place.name_km if current_language() == "km" else place.name_en


def question(level: str, codes: dict, **kwargs) -> PlaceQuestion:
    """The form for one level, its choices the places under the level above."""
    form = PlaceQuestion(data={"code": codes.get(level)}, **kwargs)
    form.code.choices = [(place.code, place_name(place)) for place in options(level, codes)]
    return form


def choose(codes: dict, level: str, code: str) -> dict:
    """The codes after choosing `code` at `level`: the levels below are forgotten
    when the choice changed."""
    chosen = dict(codes)
    if chosen.get(level) != code:
        for below in LEVELS[LEVELS.index(level) + 1 :]:
            chosen.pop(below, None)
    chosen[level] = code
    return chosen


def first_unanswered(codes: dict) -> str | None:
    """The first level still to choose (None when a village is chosen)."""
    for level in LEVELS:
        if not codes.get(level):
            return level
    return None


def village_path(codes: dict) -> dict | None:
    """The chosen village with the names of every level, or None."""
    village = codes.get("village")
    return gazetteer.village_path(village) if village else None
