"""The assisted session: a commune officer acting for one person, on a shared
computer.

While it lasts, ``portal.web.identity.current_citizen()`` is that person (with
``acting`` set to the officer's actor string), so every citizen page works for
them and every submission carries the officer as actor, the person as "on
behalf of", and the channel "assisted at the commune office". It ends at "end"
and after 15 minutes without activity; nothing about the person stays in the
session afterwards, and no page of it is cached (``Cache-Control: no-store``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass

from flask import Flask, current_app, flash, g, session
from flask_babel import lazy_gettext as _l

from portal.web.identity import ASSISTED, Citizen, StaffMember, current_staff

# The record an officer opened (with a purpose), before or without acting.
OPENED = "officer_record"
# The person chosen in the search results, waiting for the purpose.
CHOSEN = "officer_chosen"
IDLE_MINUTES = 15
LAST_SEEN_PRECISION = dt.timedelta(seconds=60)
ENDED_IDLE = _l(
    "You stopped acting for the person after 15 minutes without activity. "
    "Nothing about them is shown any more."
)


@dataclass(frozen=True)
class Consent:
    """How the person agreed: in person, or by thumbprint on the paper form."""

    method: str  # "in_person" or "thumbprint"
    form_number: str | None = None


@dataclass(frozen=True)
class Helped:
    """The person being helped, as the officer's session knows them."""

    name: str  # as the registry holds it, to show in the "acting for" bar
    spid: str | None
    commune_code: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def officer_actor(member: StaffMember, commune_code: str) -> str:
    """The officer at the commune office of the person helped. The registry takes
    printable ASCII; usernames are checked when accounts are made."""
    return f"officer:{member.username}@{commune_code}"[:200]


def start(
    member: StaffMember,
    *,
    name: str,
    commune_code: str,
    consent: Consent,
    person: dict | None = None,
    phone: str | None = None,
) -> Citizen:
    """Act for ``person`` (a registry record) or for a new walk-in (``person`` None,
    with the phone they gave, if any). Replaces any earlier assisted session."""
    end()
    nin = None
    if person is not None:
        nin = next(
            (
                item["identifier_value"]
                for item in person.get("identifier", [])
                if item.get("identifier_type") == "NIN"
            ),
            None,
        )
        phones = person.get("phone_number") or []
        phone = phones[0] if phones else None
    citizen = Citizen(
        method="assisted",
        phone=phone,
        national_id=nin,
        person_id=person["id"] if person else None,
        spid=person["spid"] if person else None,
        acting=officer_actor(member, commune_code),
        walk_in=None if person else str(uuid.uuid4()),
    )
    now = _now().isoformat()
    session[ASSISTED] = {
        "citizen": asdict(citizen),
        "name": name,
        "commune_code": commune_code,
        "consent": asdict(consent),
        "started_at": now,
        "last_seen": now,
    }
    return citizen


def helped() -> Helped | None:
    """Whom the officer is acting for now, if anyone."""
    data = session.get(ASSISTED)
    if not data or current_staff() is None:
        return None
    return Helped(
        name=data["name"], spid=data["citizen"].get("spid"), commune_code=data["commune_code"]
    )


def consent_given() -> Consent | None:
    data = session.get(ASSISTED)
    return Consent(**data["consent"]) if data else None


def end() -> None:
    """Stop acting: nothing about the person stays in the session."""
    for key in (ASSISTED, OPENED, CHOSEN):
        session.pop(key, None)


def assisted_consent(citizen: Citizen, spid: object, now: dt.datetime) -> dict:
    """The registry's consent record of the person's agreement to be helped
    (``spid`` may be a reference to a record written in the same batch)."""
    consent = consent_given() or Consent("in_person")
    content = {
        "id": str(uuid.uuid4()),
        "individual_spid": spid,
        "purpose": "assisted_service",
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": citizen.acting,
        "collected_at": now.isoformat(),
        "method": consent.method,
    }
    if consent.form_number:
        content["form_number"] = consent.form_number
    return content


def _end_when_idle() -> None:
    data = session.get(ASSISTED)
    if not data:
        return
    staff = current_staff()
    if staff is None or staff.role != "officer":
        end()
        return
    now = _now()
    idle = dt.timedelta(minutes=current_app.config.get("ASSISTED_IDLE_MINUTES", IDLE_MINUTES))
    last_seen = dt.datetime.fromisoformat(data["last_seen"])
    if now - last_seen > idle:
        end()
        flash(str(ENDED_IDLE), "warning")
        g.assisted_ended = True
    elif now - last_seen > LAST_SEEN_PRECISION:
        session[ASSISTED] = {**data, "last_seen": now.isoformat()}


def setup_assisted_sessions(app: Flask) -> None:
    """Check the assisted session's idle time on every request (after the
    sign-in session's own limits), and give templates the "acting for" bar."""
    app.before_request(_end_when_idle)
    app.jinja_env.globals.update(acting_for=helped)
