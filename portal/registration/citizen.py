"""The signed-in citizen as the registry sees them: who acts (the actor
headers), whose submissions are whose in the outbox (the owner), and the
session's link to their registry record.

Shared by register once, my record and change requests.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, replace
from functools import wraps

from flask import current_app, redirect, session, url_for

from portal.registry.client import Actor
from portal.web.identity import ASSISTED, Citizen, current_citizen
from portal.web.security import citizen_required

UNREGISTERED = "citizen:unregistered"
# Records with a channel field (applications, grievances): made by the person,
# or assisted at the commune office (the registry's "officer" channel).
SELF_SERVICE_CHANNEL = "web"
ASSISTED_CHANNEL = "officer"


def channel_of(citizen: Citizen | None) -> str:
    return ASSISTED_CHANNEL if citizen is not None and citizen.acting else SELF_SERVICE_CHANNEL


def actor_for(citizen: Citizen, purpose: str) -> Actor:
    """The actor headers for what the citizen does themselves: by their SPID once
    linked; before that, as a citizen with no record yet (no phone number is
    sent in a header). In an assisted session, the commune officer acts on
    behalf of the person (a walk-in not yet registered: "walk-in"), at the
    commune office."""
    if citizen.acting:
        return Actor(
            actor=citizen.acting,
            purpose=purpose,
            on_behalf_of=citizen.spid or "walk-in",
            channel=ASSISTED_CHANNEL,
        )
    if citizen.spid:
        return Actor(actor=f"citizen:{citizen.spid}", purpose=purpose, on_behalf_of=citizen.spid)
    return Actor(actor=UNREGISTERED, purpose=purpose, on_behalf_of="self")


def owner_of(citizen: Citizen) -> str:
    """A stable name for the citizen's outbox items, without their phone number or
    national ID in clear: a keyed hash of the verified phone (or national ID)."""
    if citizen.phone:
        proof = citizen.phone
    elif citizen.national_id:
        proof = f"nin:{citizen.national_id}"
    elif citizen.spid:
        proof = f"spid:{citizen.spid}"  # helped at the commune office, no phone or ID
    else:
        proof = f"walk-in:{citizen.walk_in}"
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, proof.encode(), hashlib.sha256).hexdigest()[:32]
    return f"citizen:{digest}"


def link_session(person_id: str | None, spid: str | None) -> Citizen:
    """Point the signed-in session at a registry person (or at none)."""
    citizen = current_citizen()
    if citizen is None:
        raise RuntimeError("no citizen is signed in")
    linked = replace(citizen, person_id=person_id, spid=spid)
    if citizen.acting:
        session[ASSISTED] = {**session[ASSISTED], "citizen": asdict(linked)}
    else:
        session["citizen"] = asdict(linked)
    return linked


def linked_citizen_required(view):
    """A signed-in citizen whose session is linked to a registry person; one not
    yet linked is sent to /register, which says where they stand (a registration
    on its way, a claim being checked, or how to register or claim a record)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        citizen = current_citizen()
        if citizen is None or citizen.person_id is None:
            return redirect(url_for("registration.start"))
        return view(*args, **kwargs)

    return citizen_required(guarded)
