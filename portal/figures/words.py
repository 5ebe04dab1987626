"""The figures' names in plain words, in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.applications.names import programme_name
from portal.grievances.categories import words as category_words

SEXES = {
    "female": _l("Women and girls"),
    "male": _l("Men and boys"),
    "other": _l("Other or not recorded"),
}
AGE_BANDS = {
    "0_5": _l("Under 6"),
    "6_17": _l("6 to 17"),
    "18_59": _l("18 to 59"),
    "60_plus": _l("60 and over"),
}
CHANNELS = {
    "portal": _l("On this website"),
    "commune_office": _l("Helped at the commune office"),
    "other": _l("By a survey or another way"),
}
IDPOOR = {
    "1": _l("Equity Card level 1 (checked)"),
    "2": _l("Equity Card level 2 (checked)"),
    "none": _l("No checked Equity Card"),
}
APPLICATION_STATES = {
    "waiting": _l("Waiting for a decision"),
    "approved": _l("Approved, not paid yet"),
    "paid": _l("Paid"),
    "refused": _l("Not approved"),
    "withdrawn": _l("Withdrawn"),
}
GRIEVANCE_STATES = {
    "open": _l("Open"),
    "resolved": _l("Decided"),
    "rejected": _l("Not taken up"),
    "closed": _l("Closed"),
    "appealed": _l("Appealed"),
}
LEVELS = {
    "country": _l("Country"),
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
}
PRIMARY = _l("fewer than 5")
SECONDARY = _l("hidden")


def programme(programme_id: str) -> str:
    return programme_name(programme_id)


def category(name: str) -> str:
    return category_words(name)
