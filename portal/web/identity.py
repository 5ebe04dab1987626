"""Who is using the portal in this session: a citizen, a staff member, or nobody.

Signing in starts a fresh session (no fixation: whatever was in it is dropped,
the language choice aside); signing out clears it. A session ends after 30
minutes without activity and 12 hours after sign-in, whatever happens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from flask import Flask, current_app, flash, g, session
from flask_babel import lazy_gettext as _l

from portal.web.sessions import OWNER, rotate_session

ROLES = (
    "citizen",
    "officer",
    "programme_officer",
    "grievance_handler",
    "grievance_supervisor",
    "analyst",
    "admin",
)
STAFF_ROLES = ROLES[1:]
# Activity is written down at most once a minute, not on every request.
LAST_SEEN_PRECISION = dt.timedelta(seconds=60)
SIGNED_OUT_IDLE = _l(
    "You were signed out after 30 minutes without activity, to keep your data safe."
)
SIGNED_OUT_LONG = _l("You were signed out because you signed in more than 12 hours ago.")


@dataclass(frozen=True)
class Citizen:
    """A citizen signed in by text-message code or the national digital ID."""

    method: str  # "sms" or "digital_id"
    phone: str | None = None  # E.164, verified by the code
    national_id: str | None = None  # from the digital ID
    person_id: str | None = None  # registry record, when one matched
    spid: str | None = None
    role: str = "citizen"
    # In an assisted session (portal/officer/assisted.py): the officer's actor
    # string, and for a walk-in not yet registered, a name for their outbox items.
    acting: str | None = None
    walk_in: str | None = None


@dataclass(frozen=True)
class StaffMember:
    """A commune officer, programme officer, grievance handler, supervisor or
    administrator. Commune officers are scoped to communes, programme officers
    to programmes (ids of portal.applications.offer.programme_ids())."""

    username: str
    name: str
    role: str
    method: str  # "password_totp" or "oidc"
    commune_codes: tuple[str, ...] = field(default_factory=tuple)
    programme_ids: tuple[str, ...] = field(default_factory=tuple)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _start_fresh_session(kind: str, identity: dict, owner: str | None = None) -> None:
    sign_out()
    now = _now().isoformat()
    session.update({kind: identity, "signed_in_at": now, "last_seen": now})
    if owner:
        session[OWNER] = owner
    session.permanent = True


def sign_in_citizen(citizen: Citizen) -> None:
    _start_fresh_session("citizen", asdict(citizen))


def staff_owner(username: str) -> str:
    """How a staff member's sessions are known, so that all can be ended at once."""
    return f"staff:{username}"


def sign_in_staff(member: StaffMember) -> None:
    identity = asdict(member)
    identity["commune_codes"] = list(member.commune_codes)
    identity["programme_ids"] = list(member.programme_ids)
    _start_fresh_session("staff", identity, owner=staff_owner(member.username))


def sign_out() -> None:
    """End the session: its stored record goes, and the browser gets a new id."""
    language = session.get("lang")
    session.clear()
    rotate_session()
    if language:
        session["lang"] = language


# The person a commune officer is acting for: session[ASSISTED]["citizen"]
# (started and ended by portal/officer/assisted.py).
ASSISTED = "assisted"


def current_citizen() -> Citizen | None:
    """The signed-in citizen, or the person a commune officer is acting for."""
    data = session.get("citizen")
    if data:
        return Citizen(**data)
    assisted = session.get(ASSISTED)
    if assisted and (session.get("staff") or {}).get("role") == "officer":
        return Citizen(**assisted["citizen"])
    return None


def acting_for_someone() -> bool:
    """Whether a commune officer is acting for someone in this session."""
    return current_citizen() is not None and session.get("citizen") is None


def current_staff() -> StaffMember | None:
    data = session.get("staff")
    if not data:
        return None
    return StaffMember(
        **{
            **data,
            "commune_codes": tuple(data.get("commune_codes", ())),
            "programme_ids": tuple(data.get("programme_ids", ())),
        }
    )


def current_role() -> str | None:
    if session.get("citizen"):
        return "citizen"
    staff = session.get("staff")
    return staff["role"] if staff else None


def _expire_old_sessions() -> None:
    """Idle and absolute time limits, checked on every request."""
    if "signed_in_at" not in session:
        return
    now = _now()
    idle = dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"]
    if now - dt.datetime.fromisoformat(session["signed_in_at"]) > absolute:
        sign_out()
        flash(str(SIGNED_OUT_LONG), "warning")
    elif now - dt.datetime.fromisoformat(session["last_seen"]) > idle:
        sign_out()
        flash(str(SIGNED_OUT_IDLE), "warning")
    elif now - dt.datetime.fromisoformat(session["last_seen"]) > LAST_SEEN_PRECISION:
        session["last_seen"] = now.isoformat()  # also keeps the stored record alive
    g.identity_checked = True


def setup_identity(app: Flask) -> None:
    app.before_request(_expire_old_sessions)
    app.jinja_env.globals.update(current_citizen=current_citizen, current_staff=current_staff)
