"""The commune officer's work lists: the only module of them that calls the
registry client and the outbox. Plain functions; the officer is passed in.

- Change requests about people of the officer's communes that wait for a
  decision, oldest first; one of them read, confirmed or refused (with a
  reason), with If-Match on the version the officer saw, and one text message
  to the person about the decision.
- Grievances the officer reported for someone at the commune office.
- What the officer did today (the registry's activity of their actor strings).
- The counts of these for the officer's home page (``summary``).

Scope: a request is the officer's when its person lives in one of their
communes; anything else is "not found" (its existence never told).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from portal import outbox
from portal.accounts.services import cambodian_mobile
from portal.backoffice.services import actor_for
from portal.changes.services import reference_for
from portal.local_time import LOCAL_TIME, today
from portal.notifications import messages
from portal.officer.assisted import officer_actor
from portal.officer.worklist_words import activity_rows
from portal.outbox import Recipient
from portal.registry.client import (
    Actor,
    Page,
    RegistryConflict,
    RegistryError,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryValidationError,
    predicate,
)
from portal.registry_access import registry
from portal.web.identity import StaffMember

logger = logging.getLogger("portal.officer.worklists")

REVIEW = "change request review"
APPLICATIONS = "application review"
FOLLOW_UP = "follow-up"
OWN_ACTIVITY = "own activity"  # not logged by the registry: reading it reads no one's data
PAGE_SIZE = 20
WAITING = ("submitted", "in_review")
# Applications the commune office has something to do with: mark them
# received, then their documents checked (on /backoffice/applications).
APPLICATIONS_TO_HANDLE = ("submitted", "received")
REFUSAL_MAX = 500  # what the officer may write
REASON_MAX = 200  # what the registry keeps as a status change's reason
ACTIVITY_LIMIT = 200
CLAIM = "link_phone"


class NotFound(Exception):
    """No such change request, or not one of the officer's communes."""


class _WithRequest(Exception):
    def __init__(self, change: dict) -> None:
        super().__init__(type(self).__name__)
        self.change = change


class ChangedMeanwhile(_WithRequest):
    """Someone else changed the request since the officer saw it."""


class NotPossibleNow(_WithRequest):
    """The request is decided (or withdrawn) already."""


class RegistryRefused(_WithRequest):
    """The registry could not apply the change; the request is being checked."""


def _actor(member: StaffMember, purpose: str) -> Actor:
    return actor_for(member, purpose)  # officer:<username>


def assisted_actors(member: StaffMember) -> list[str]:
    """The officer's actor strings when acting for someone, one per commune."""
    return [officer_actor(member, code) for code in member.commune_codes]


def own_actors(member: StaffMember) -> list[str]:
    """Every actor string this officer acts as."""
    return [_actor(member, OWN_ACTIVITY).actor, *assisted_actors(member)]


def _empty() -> Page:
    return Page(count=0, next=None, previous=None, results=[])


# Change requests


def waiting_changes(member: StaffMember, page: int, page_size: int = PAGE_SIZE) -> Page:
    """Requests about people of the officer's communes waiting for a decision, oldest first."""
    if not member.commune_codes:
        return _empty()
    return registry().change_requests.list(
        actor=_actor(member, REVIEW),
        commune_code=",".join(member.commune_codes),
        request_status=",".join(WAITING),
        ordering="created_at",
        page=page,
        page_size=page_size,
    )


def people(member: StaffMember, spids, purpose: str = REVIEW) -> dict[str, dict]:
    """The persons with these SPIDs who live in the officer's communes, by SPID
    (one search; people elsewhere are not found, so never read)."""
    wanted = sorted({spid for spid in spids if spid})
    if not wanted or not member.commune_codes:
        return {}
    found = registry().search.by_predicate(
        [
            predicate("spid", "in", wanted),
            predicate("commune_code", "in", list(member.commune_codes)),
        ],
        actor=_actor(member, purpose),
        page_size=len(wanted),
    )
    return {person["spid"]: person for person in found.records}


@dataclass(frozen=True)
class Review:
    change: dict
    person: dict  # the person the request is about
    member: dict | None  # household_member_left, death: the member concerned
    reference: str


def reference_of(change: dict) -> str:
    """The reference the person was given (a claim's CL-..., else CR-...)."""
    if change.get("request_type") == CLAIM:
        sent = outbox.submission(key=f"claim/{change['id']}")
        if sent is not None and sent.reference:
            return sent.reference
    return reference_for(change)


def review(member: StaffMember, change_id, purpose: str = REVIEW) -> Review:
    """The request and its person (and member); NotFound outside the officer's communes."""
    actor = _actor(member, purpose)
    try:
        change = registry().change_requests.read(str(change_id), actor=actor)
    except RegistryNotFound:
        raise NotFound() from None
    spids = [change.get("person_spid"), change.get("member_spid")]
    found = people(member, spids, purpose)
    person = found.get(change.get("person_spid") or "")
    if person is None:
        logger.warning("an officer asked for a change request outside their communes")
        raise NotFound()
    concerned = found.get(change.get("member_spid") or "")
    return Review(change, person, concerned, reference_of(change))


def _write(member: StaffMember, change: dict, version: int, status: str, **status_change) -> dict:
    try:
        return registry().change_requests.update(
            change["id"],
            {"status": status},
            actor=_actor(member, REVIEW),
            if_match=f'"{version}"',
            **status_change,
        )
    except RegistryPreconditionFailed:
        raise ChangedMeanwhile(review(member, change["id"]).change) from None
    except (RegistryValidationError, RegistryConflict) as refused:
        logger.info("the registry refused a change request decision: %s", refused.code)
        raise RegistryRefused(review(member, change["id"]).change) from None


def _decide(member: StaffMember, change_id, version: int, target: str, **status_change) -> dict:
    """submitted → in_review → ``target``, each write on the version before it."""
    found = review(member, change_id)
    change = found.change
    if change["version"] == version and change["status"] not in WAITING:
        raise NotPossibleNow(change)
    if change["status"] == "submitted":
        change = _write(member, change, version, "in_review")
        version = change["version"]
    decided = _write(member, change, version, target, **status_change)
    _tell(member, decided, found)
    return decided


def confirm(member: StaffMember, change_id, version: int) -> dict:
    """Approve the request: the registry applies it. Raises NotFound,
    NotPossibleNow, ChangedMeanwhile or RegistryRefused."""
    return _decide(member, change_id, version, "approved")


def refuse(member: StaffMember, change_id, version: int, reason: str) -> dict:
    """Refuse the request with the officer's reason (the person reads it). The
    registry keeps 200 characters as the reason; a longer one is whole in the note."""
    if len(reason) <= REASON_MAX:
        kept = {"reason": reason, "note": None}
    else:
        kept = {"reason": reason[: REASON_MAX - 1] + "…", "note": reason}
    return _decide(member, change_id, version, "rejected", **kept)


def _recipient(change: dict, person: dict) -> Recipient | None:
    """A claim or a new number: the number it is about; else the person's own."""
    default = Recipient.of_person(person)
    language = default.language if default else "km"
    numbers = (change.get("proposed_changes") or {}).get("phone_number") or []
    asked = cambodian_mobile(numbers[0]) if numbers else None
    if change.get("request_type") in (CLAIM, "phone_number") and asked:
        return Recipient(asked, language)
    return default


def _tell(member: StaffMember, decided: dict, found: Review) -> None:
    recipient = _recipient(decided, found.person)
    if recipient is None:
        return
    approved = decided["status"] == "approved"
    text = messages.change_decided(found.reference, approved, recipient.language)
    key = f"change-requests/{decided['id']}/decision/{decided['status']}"
    outbox.send_text(key, recipient.phone, text, actor=_actor(member, REVIEW))


# Grievances


def reported_grievances(member: StaffMember, page: int, page_size: int = PAGE_SIZE) -> Page:
    """Grievances the officer sent for someone at the commune office, newest first."""
    actors = assisted_actors(member)
    if not actors:
        return _empty()
    return registry().grievances.list(
        actor=_actor(member, FOLLOW_UP),
        created_by=",".join(actors),
        visible_to=member.username,
        ordering="-created_at",
        page=page,
        page_size=page_size,
    )


# Activity


def start_of_today() -> dt.datetime:
    """00:00 today in Phnom Penh."""
    return dt.datetime.combine(today(), dt.time(), tzinfo=LOCAL_TIME)


def today_activity(member: StaffMember) -> list[dict]:
    """What the officer did today, newest first (at most ACTIVITY_LIMIT entries)."""
    return registry().activity.of(
        own_actors(member),
        actor=_actor(member, OWN_ACTIVITY),
        since=start_of_today(),
        limit=ACTIVITY_LIMIT,
    )


# The home page's counts


def _count(read) -> int | None:
    try:
        return read()
    except RegistryError as error:
        logger.info("a work-list count is not known now: %s", type(error).__name__)
        return None


def summary(member: StaffMember) -> dict:
    """Counts for the officer's home page (None when the registry cannot say
    now). The lists are counted with pageSize=0: no one's data is read."""
    communes = ",".join(member.commune_codes)

    def applications() -> int:
        if not communes:
            return 0
        return (
            registry()
            .applications.list(
                actor=_actor(member, REVIEW),
                commune_code=communes,
                application_status=",".join(APPLICATIONS_TO_HANDLE),
                page_size=0,
            )
            .count
        )

    return {
        "changes": _count(lambda: waiting_changes(member, 1, page_size=0).count),
        "grievances": _count(lambda: reported_grievances(member, 1, page_size=0).count),
        "activity": _count(lambda: len(activity_rows(today_activity(member)))),
        "applications": _count(applications),
    }
