"""What grievance handlers and supervisors do with cases: the only module of
the grievance back office that calls the registry client (and, through
portal.grievances.notify, the outbox). Plain functions; the staff member is
passed in.

Visibility is portal.grievances.access, always: the queue's query is limited by
``scope_filters`` and one case is read, then checked with ``may_see``; a case
the member may not see is "not found", like one that does not exist. Every
change carries the version the member saw (If-Match): the registry refuses it
when someone else changed the case meanwhile. The reporter gets one text
message per status change or public reply, never for an internal note.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import StaffAccount
from portal.backoffice.cases import queue
from portal.database import db
from portal.grievances import access, notify, states
from portal.registry.client import (
    Actor,
    Page,
    RegistryError,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryValidationError,
    etag_of,
)
from portal.registry_access import registry
from portal.staff import oidc
from portal.web.identity import StaffMember

logger = logging.getLogger("portal.backoffice.cases")

PURPOSE = "grievance handling"
PAGE_SIZE = 20
LIST_PAGE_SIZE = 100  # the registry's largest page
EXPORT_MAX_ROWS = 5000
APPEAL_DECIDED = "appeal_decided"


class NotFound(Exception):
    """No such case, or not one this staff member may see."""


class ChangedMeanwhile(Exception):
    """Someone else changed the case since the member saw it."""

    def __init__(self, case: dict) -> None:
        super().__init__("changed meanwhile")
        self.case = case


class NotPossibleNow(Exception):
    """The case's state (or the member's role) does not allow this step."""

    def __init__(self, case: dict) -> None:
        super().__init__("not possible now")
        self.case = case


class RegistryRefused(Exception):
    """The registry refused the change (422)."""

    def __init__(self, case: dict, fields: list[str]) -> None:
        super().__init__("refused by the registry")
        self.case = case
        self.fields = fields


class Problem(Exception):
    """What the member typed cannot be used: ``message`` belongs to ``field``."""

    def __init__(self, field: str, message) -> None:
        super().__init__(field)
        self.field = field
        self.message = str(message)


def actor_for(member: StaffMember) -> Actor:
    return Actor(actor=f"{member.role}:{member.username}", purpose=PURPOSE, on_behalf_of=None)


def is_supervisor(member: StaffMember) -> bool:
    return member.role == access.SUPERVISOR


# The queue


def _empty() -> Page:
    return Page(count=0, next=None, previous=None, results=[])


def queue_page(member: StaffMember, choice: queue.Choice, page: int, today: dt.date) -> Page:
    filters = queue.list_filters(member, choice, today)
    if filters is None:
        return _empty()
    grievances = registry().grievances
    if choice.phone:
        # A phone never finds an anonymous report (that would name its reporter).
        found = grievances.list(
            actor=actor_for(member),
            page_size=LIST_PAGE_SIZE,
            ordering=queue.ordering(member),
            **filters,
        )
        shown = [case for case in found.results if not _anonymous(case)]
        return Page(count=len(shown), next=None, previous=None, results=shown)
    return grievances.list(
        actor=actor_for(member),
        page=page,
        page_size=PAGE_SIZE,
        ordering=queue.ordering(member),
        **filters,
    )


def export_cases(member: StaffMember, choice: queue.Choice, today: dt.date) -> Iterator[dict]:
    """Every case of the filtered queue (at most EXPORT_MAX_ROWS), by due date."""
    filters = queue.list_filters(member, choice, today)
    if filters is None:
        return
    given = 0
    for number in range(1, EXPORT_MAX_ROWS // LIST_PAGE_SIZE + 1):
        found = registry().grievances.list(
            actor=actor_for(member),
            page=number,
            page_size=LIST_PAGE_SIZE,
            ordering=queue.ordering(member),
            **filters,
        )
        for case in found.results:
            if choice.phone and _anonymous(case):
                continue
            given += 1
            yield case
        if not found.next or given >= EXPORT_MAX_ROWS:
            return


def _anonymous(case: dict) -> bool:
    return bool((case.get("complainant") or {}).get("anonymous"))


# One case


def case_for(member: StaffMember, case_id) -> dict:
    """The case, or NotFound when it does not exist or the member may not see it."""
    try:
        case = registry().grievances.read(str(case_id), actor=actor_for(member))
    except RegistryNotFound:
        raise NotFound() from None
    if not access.may_see(member, case):
        logger.warning("staff asked for a grievance outside their scope")
        raise NotFound()
    return case


@dataclass(frozen=True)
class Linked:
    repeat_of: dict | None  # the earlier case, when the member may see it
    appeal_of: dict | None  # the appealed case, when the member may see it
    appeals: list[dict]  # appeals of this case the member may see
    application: dict | None
    change_request: dict | None


def _visible(member: StaffMember, case_id: str | None) -> dict | None:
    if not case_id:
        return None
    try:
        return case_for(member, case_id)
    except NotFound:
        return None


def linked(member: StaffMember, case: dict) -> Linked:
    actor = actor_for(member)
    appeals = []
    if is_supervisor(member):
        found = registry().grievances.list(
            actor=actor, page_size=5, appeal_of=case["id"], **access.scope_filters(member)
        )
        appeals = found.results
    application = change_request = None
    try:
        if case.get("application_id"):
            application = registry().applications.read(case["application_id"], actor=actor)
        if case.get("change_request_id"):
            change_request = registry().change_requests.read(case["change_request_id"], actor=actor)
    except RegistryNotFound:
        pass
    return Linked(
        repeat_of=_visible(member, case.get("repeat_of")),
        appeal_of=_visible(member, case.get("appeal_of")),
        appeals=appeals,
        application=application,
        change_request=change_request,
    )


# Changes


def current_version(member: StaffMember, case_id, version: int) -> dict:
    """The case as it is now; ChangedMeanwhile when it is not the version shown."""
    case = case_for(member, case_id)
    if case["version"] != version:
        raise ChangedMeanwhile(case)
    return case


def write(
    member: StaffMember,
    case: dict,
    changes: dict,
    *,
    reason: str | None = None,
    note: str | None = None,
    event: tuple[str, str] | None = None,
) -> dict:
    extra = {"event": {"kind": event[0], "text": event[1]}} if event else None
    try:
        return registry().grievances.update(
            case["id"],
            changes,
            actor=actor_for(member),
            if_match=etag_of(case),
            reason=reason,
            note=note,
            extra=extra,
        )
    except RegistryPreconditionFailed:
        raise ChangedMeanwhile(case_for(member, case["id"])) from None
    except RegistryValidationError as refused:
        fields = list(refused.field_errors)
        logger.info("the registry refused a grievance change: %s", ", ".join(fields))
        raise RegistryRefused(case, fields) from None


def _assignee_problem(case: dict, username: str) -> str | None:
    """Why ``username`` cannot work on ``case``, or None. Local accounts are
    checked (role, active, and that they may see the case); with the
    ministry's sign-in an unknown username is taken as typed."""
    if username in (case.get("excluded_staff") or []):
        return _("This person is named in the case: they must not work on it.")
    with db.session() as session:
        account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    if account is None:
        if oidc.enabled():
            return None
        return _("No grievance handler or supervisor has this username.")
    if not account.active or account.role not in access.ROLES:
        return _("No grievance handler or supervisor has this username.")
    colleague = StaffMember(
        username=account.username,
        name=account.name,
        role=account.role,
        method="password_totp",
        commune_codes=tuple(account.commune_codes or ()),
    )
    if not access.may_see(colleague, case):
        return _("This handler may not see this case. Assign it to a supervisor.")
    return None


def take(member: StaffMember, case_id, version: int) -> dict:
    case = current_version(member, case_id, version)
    if case.get("assignee") == member.username or case.get("status") == states.CLOSED:
        raise NotPossibleNow(case)
    return write(member, case, {"assignee": member.username})


def assign(member: StaffMember, case_id, version: int, username: str) -> dict:
    case = current_version(member, case_id, version)
    if not is_supervisor(member) or case.get("status") == states.CLOSED:
        raise NotPossibleNow(case)
    problem = _assignee_problem(case, username)
    if problem:
        raise Problem("username", problem)
    return write(member, case, {"assignee": username})


def reply(member: StaffMember, case_id, version: int, text: str) -> dict:
    """A public reply: the reporter reads it and gets a text message."""
    case = current_version(member, case_id, version)
    updated = write(member, case, {}, event=("public_reply", text))
    notify.tell(updated, "reply", actor_for(member))
    return updated


def note(member: StaffMember, case_id, version: int, text: str) -> dict:
    """An internal note: staff only, no message."""
    case = current_version(member, case_id, version)
    return write(member, case, {}, event=("internal_note", text))


def staff_moves(case: dict) -> tuple[str, ...]:
    """The states the status form offers (decisions have their own form)."""
    return tuple(
        state
        for state in states.STAFF_MOVES.get(case.get("status"), ())
        if state not in states.DECIDED
    )


def may_decide(case: dict) -> bool:
    return bool(states.DECIDED & set(states.STAFF_MOVES.get(case.get("status"), ())))


def move(member: StaffMember, case_id, version: int, target: str, note_text: str | None) -> dict:
    case = current_version(member, case_id, version)
    if target not in staff_moves(case):
        raise NotPossibleNow(case)
    updated = write(member, case, {"status": target}, note=note_text or None)
    notify.tell(updated, "status", actor_for(member))
    return updated


@dataclass(frozen=True)
class Decided:
    case: dict
    original_closed: bool | None  # an appeal: whether the appealed case was closed


def decide(
    member: StaffMember, case_id, version: int, outcome: str, code: str, explanation: str
) -> Decided:
    """Resolve or reject with a decision code; the explanation is the status
    change's note and a public reply (one text message: the new state). An
    appeal's decision also closes the appealed case."""
    case = current_version(member, case_id, version)
    if outcome not in states.DECIDED or code not in states.DECISIONS or not may_decide(case):
        raise NotPossibleNow(case)
    updated = write(
        member,
        case,
        {"status": outcome, "decision_code": code},
        reason=code,
        note=explanation,
        event=("public_reply", explanation),
    )
    notify.tell(updated, "status", actor_for(member))
    closed = _close_appealed(member, updated["appeal_of"]) if updated.get("appeal_of") else None
    return Decided(updated, closed)


def _close_appealed(member: StaffMember, original_id: str) -> bool:
    """Move the appealed case from "appealed" to "closed" (once; retried once
    when it changed meanwhile). False when it could not be done."""
    for _attempt in range(2):
        try:
            original = registry().grievances.read(original_id, actor=actor_for(member))
            if original.get("status") != states.APPEALED:
                return original.get("status") == states.CLOSED
            registry().grievances.update(
                original_id,
                {"status": states.CLOSED},
                actor=actor_for(member),
                if_match=etag_of(original),
                reason=APPEAL_DECIDED,
            )
            return True
        except RegistryPreconditionFailed:
            continue
        except RegistryError as error:
            logger.warning("the appealed case was not closed: %s", type(error).__name__)
            return False
    return False


def exclude(member: StaffMember, case_id, version: int, username: str) -> dict:
    """A staff member named in the case never sees it again (nor keeps it)."""
    case = current_version(member, case_id, version)
    if not is_supervisor(member):
        raise NotPossibleNow(case)
    excluded = list(case.get("excluded_staff") or [])
    if username in excluded:
        raise Problem("username", _l("This person is already kept away from this case."))
    changes: dict = {"excluded_staff": [*excluded, username]}
    if case.get("assignee") == username:
        changes["assignee"] = None
    return write(member, case, changes)
