"""Programmes and offices by name, in the page's language: the programme an
application is for, and who decides it (the citizen never sees a username)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.applications.offer import IDPOOR_ASSESSMENT, IDPOOR_BY, IDPOOR_GIVES, IDPOOR_NAME
from portal.eligibility.services import programmes_by_id

YOU = _l("You")
COMMUNE_OFFICE = _l("Your commune office")
PROGRAMME_OFFICE = _l("The programme's office")
OTHER_OFFICE = _l("A government office")


def programme_name(programme_id: str) -> str:
    if programme_id == IDPOOR_ASSESSMENT:
        return str(IDPOOR_NAME)
    found = programmes_by_id().get(programme_id)
    return found["name"] if found else programme_id


def programme_benefit(programme_id: str) -> str:
    if programme_id == IDPOOR_ASSESSMENT:
        return str(IDPOOR_GIVES)
    found = programmes_by_id().get(programme_id)
    return found["benefit"] if found else ""


def programme_office(programme_id: str) -> str:
    if programme_id == IDPOOR_ASSESSMENT:
        return str(IDPOOR_BY)
    found = programmes_by_id().get(programme_id)
    return found["administered_by"] if found else str(PROGRAMME_OFFICE)


def who(actor: str | None, programme_id: str) -> str:
    """The office behind an actor string (`officer:*`, `programme_officer:*`),
    or "You" for the citizen."""
    prefix = (actor or "").partition(":")[0]
    if prefix == "citizen":
        return str(YOU)
    if prefix == "officer":
        return str(COMMUNE_OFFICE)
    if prefix == "programme_officer":
        return programme_office(programme_id)
    return str(OTHER_OFFICE)
