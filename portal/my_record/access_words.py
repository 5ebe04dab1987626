"""The registry's access log in plain words: who (an office or service, never
a staff member's username), what they did, and why.

The registry records an actor string, an action and a purpose for every read
or write of a person's data. Actors are named by their prefix:
``citizen:<spid>`` (``citizen:unregistered`` before they have one),
``portal:*``, ``staff:*``, ``officer:*``, ``programme_officer:*``,
``grievance_handler:*``, ``grievance_supervisor:*``, ``system:*``,
``client:*`` (a programme operator's system, over DCI); anything else is
another government service. A commune officer acting at the commune
office is ``officer:<username>@<commune code>``: shown as that commune's
office. Purposes are the ones the portal sends (each ``Actor(..., purpose=...)``);
one the portal does not know is shown as recorded, marked as the service's own
words.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import gazetteer
from portal.i18n import current_language

# Prefix of the actor string → who, in plain words. The part after the colon
# (a username, a client name) is never shown.
WHO = {
    "portal": _l("This portal (automatically)"),
    "officer": _l("A commune office"),
    "programme_officer": _l("A programme office"),
    "grievance_handler": _l("The complaints team"),
    "grievance_supervisor": _l("The complaints team"),
    "system": _l("The registry's administrators"),
    "staff": _l("A government office"),
    # An operator's system reading through the registry's DCI exchange.
    "client": _l("A social protection programme's system"),
}
YOU = _l("You")
ANOTHER_CITIZEN = _l("Another person (for example someone in your household)")
# portal/registration/citizen.py: a signed-in citizen with no record yet.
UNREGISTERED = _l("Someone signing up on this portal (you, if you registered here)")
OTHER_SERVICE = _l("Another government service")

DID = {
    "read": _l("looked at your details"),
    "search": _l("searched for your details"),
    "list": _l("searched for your details"),
    "create": _l("wrote down your details"),
    "update": _l("changed your details"),
}
OTHER_ACTION = _l("used your details")

# Every purpose the portal sends (and the demo data's), in plain words.
WHY = {
    "citizen sign-in": _l("When you signed in"),
    "eligibility check": _l("To check which programmes you can get"),
    "language choice": _l("To remember the language you chose"),
    "registration": _l("To register you"),
    "duplicate check": _l("To make sure no one is registered twice"),
    "my record": _l("To show you your record"),
    "change request": _l("For a request to change your details"),
    "application": _l("For your application to a programme"),
    "record claim": _l("To check that a record is yours"),
    "application review": _l("To check an application to a programme"),
    "application decision": _l("To decide an application or record a payment"),
    "demo-data": _l("Sample data, for trying out the portal"),
    "consent": _l("About your consent"),
    # portal/officer: the commune officer's pages
    "officer search": _l("To find you at the commune office"),
    "walk-in help": _l("You came to the commune office for help"),
    "home visit": _l("For a home visit"),
    "follow-up": _l("To follow up on your case"),
    "assisted service": _l("To record that you agreed to be helped at the commune office"),
    "change request review": _l("To check a request to change your details"),
    # The DCI exchange with programme operators (registry subscriptions and searches).
    "subscription": _l("To tell a programme that you registered, so you need not register again"),
    "dci-exchange": _l("Shared with a programme through the registry"),
}


def who(actor: str, own_spid: str | None) -> str:
    """The office or service behind an actor string; "You" for the citizen."""
    prefix, _sep, rest = actor.partition(":")
    if prefix == "citizen":
        if rest == "unregistered":
            return str(UNREGISTERED)
        return str(YOU) if own_spid and rest == own_spid else str(ANOTHER_CITIZEN)
    if prefix == "officer":
        return commune_office(rest)
    return str(WHO.get(prefix, OTHER_SERVICE))


def commune_office(rest: str) -> str:
    """``<username>@<commune code>``: that commune's office, by name in the page's
    language; without a valid code, "A commune office". Never the username."""
    _username, at, code = rest.rpartition("@")
    place = gazetteer.commune(code) if at else None
    if place is None:
        return str(WHO["officer"])
    name = place.name_km if current_language() == "km" else place.name_en
    return _("The commune office of %(commune)s", commune=name or place.name_en)


def did(action: str) -> str:
    return str(DID.get(action, OTHER_ACTION))


def why(purpose: str) -> str:
    known = WHY.get(purpose.strip().lower())
    if known is not None:
        return str(known)
    return _("“%(purpose)s” (in the words of the service)", purpose=purpose)
