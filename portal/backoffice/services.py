"""What staff do with applications: the only module of the back office that
calls the registry client (and, through portal.applications.notify, the
outbox). Plain functions; the staff member is passed in.

Scope: a programme officer sees the applications of their programmes, a
commune officer those of their communes; anything else is "not found" (the
record is read first, then compared, and its existence never told). Every
change is an update with the version the officer saw (If-Match): the
registry refuses it when someone else changed the application meanwhile.
After each change the applicant gets one text message per change.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.applications import notify, states
from portal.backoffice.payments_csv import Row
from portal.registry.client import (
    Actor,
    Page,
    RegistryError,
    RegistryNotFound,
    RegistryPreconditionFailed,
    RegistryUnavailable,
    RegistryValidationError,
    etag_of,
)
from portal.registry.client.deadline import deadline, seconds_left
from portal.registry_access import registry
from portal.web.identity import StaffMember

logger = logging.getLogger("portal.backoffice")

PAGE_SIZE = 20
REVIEW = "application review"
DECISION = "application decision"
# A payment file is imported within one request, with more time than a page
# gets; what does not fit is reported "not done" (importing the file again
# records the rest, and nothing twice).
IMPORT_SECONDS = 20.0
ROW_SECONDS = 1.0  # no row is started with less time left than this
_NOT_ACTOR_TEXT = re.compile(r"[^\x20-\x7e]")


class NotFound(Exception):
    """No such application, or not one this staff member may see."""


class ChangedMeanwhile(Exception):
    """Someone else changed the application since the officer saw it."""

    def __init__(self, application: dict) -> None:
        super().__init__("changed meanwhile")
        self.application = application


class NotPossibleNow(Exception):
    """The application's state does not allow this step (for this role)."""

    def __init__(self, application: dict) -> None:
        super().__init__("not possible now")
        self.application = application


class RegistryRefused(Exception):
    """The registry refused the change (422)."""

    def __init__(self, application: dict, fields: list[str]) -> None:
        super().__init__("refused by the registry")
        self.application = application
        self.fields = fields


def actor_for(member: StaffMember, purpose: str) -> Actor:
    """``<role>:<username>``; the registry takes printable ASCII only."""
    name = _NOT_ACTOR_TEXT.sub("?", f"{member.role}:{member.username}")[:120]
    return Actor(actor=name, purpose=purpose)


# Scope and the list


@dataclass(frozen=True)
class Filters:
    state: str | None = None
    commune_code: str | None = None
    programme_id: str | None = None
    older_than_days: int | None = None
    oldest_first: bool = False


def in_scope(member: StaffMember, application: dict) -> bool:
    if member.role == states.PROGRAMME_OFFICER:
        return application.get("programme_id") in member.programme_ids
    if member.role == states.COMMUNE_OFFICER:
        return application.get("commune_code") in member.commune_codes
    return False


def _narrowed(chosen: str | None, allowed: tuple[str, ...] | None) -> str | None:
    """The list filter value for one field: the choice within the scope, or
    the whole scope; "" when the choice is outside it (nothing to show)."""
    if allowed is None:
        return chosen
    if chosen:
        return chosen if chosen in allowed else ""
    return ",".join(allowed)


def list_query(member: StaffMember, filters: Filters, today: dt.date) -> dict[str, str] | None:
    """The registry list filters for this member and these filters; None when
    nothing can match (no scope, or a choice outside it)."""
    programmes = member.programme_ids if member.role == states.PROGRAMME_OFFICER else None
    communes = member.commune_codes if member.role == states.COMMUNE_OFFICER else None
    if programmes is None and communes is None:
        return None
    values = {
        "programme_id": _narrowed(filters.programme_id, programmes),
        "commune_code": _narrowed(filters.commune_code, communes),
        "application_status": filters.state,
    }
    if any(value == "" for value in values.values()):
        return None
    query = {name: value for name, value in values.items() if value}
    if filters.older_than_days is not None:
        query["submitted_before"] = (today - dt.timedelta(days=filters.older_than_days)).isoformat()
    return query


def applications_page(member: StaffMember, filters: Filters, page: int) -> Page:
    query = list_query(member, filters, dt.datetime.now(dt.UTC).date())
    if query is None:
        return Page(count=0, next=None, previous=None, results=[])
    return registry().applications.list(
        actor=actor_for(member, REVIEW),
        page=page,
        page_size=PAGE_SIZE,
        ordering="created_at" if filters.oldest_first else "-created_at",
        **query,
    )


# One application


def application_for(member: StaffMember, application_id, purpose: str = REVIEW) -> dict:
    """The application, read with ``purpose`` (the applicant's access log shows
    it); raises NotFound when it does not exist or is outside the scope."""
    try:
        application = registry().applications.read(
            str(application_id), actor=actor_for(member, purpose)
        )
    except RegistryNotFound:
        raise NotFound() from None
    if not in_scope(member, application):
        logger.warning("staff asked for an application outside their scope")
        raise NotFound()
    return application


@dataclass(frozen=True)
class Review:
    application: dict
    person: dict | None
    household: dict | None


def applicant(member: StaffMember, application: dict, purpose: str) -> dict | None:
    try:
        return registry().persons.read_by_spid(
            application["applicant_spid"], actor=actor_for(member, purpose)
        )
    except RegistryNotFound:
        return None


def review(member: StaffMember, application_id) -> Review:
    """The application with its applicant and their household; NotFound."""
    application = application_for(member, application_id)
    person = applicant(member, application, REVIEW)
    household = None
    household_id = application.get("household_id") or (person or {}).get("household_identifier")
    if household_id:
        try:
            household = registry().households.read(household_id, actor=actor_for(member, REVIEW))
        except RegistryNotFound:
            household = None
    return Review(application, person, household)


# Changes


def _write(
    member: StaffMember,
    application: dict,
    version: int,
    changes: dict,
    reason: str | None = None,
    note: str | None = None,
) -> dict:
    try:
        return registry().applications.update(
            application["id"],
            changes,
            actor=actor_for(member, DECISION),
            if_match=f'"{version}"',
            reason=reason,
            note=note,
        )
    except RegistryPreconditionFailed:
        raise ChangedMeanwhile(application_for(member, application["id"], DECISION)) from None
    except RegistryValidationError as refused:
        fields = list(refused.field_errors)
        logger.info("the registry refused an application change: %s", ", ".join(fields))
        raise RegistryRefused(application, fields) from None


def _tell(
    member: StaffMember,
    before: dict,
    after: dict,
    payment: dict | None = None,
    people: dict | None = None,
) -> None:
    """One text message per change: the new state, and the payment."""
    spid = after["applicant_spid"]
    try:
        if people is not None and spid in people:
            person = people[spid]
        else:
            person = applicant(member, after, DECISION)
            if people is not None:
                people[spid] = person
    except RegistryError as error:
        logger.warning("applicant not read for the text message: %s", type(error).__name__)
        return
    if person is None:
        return
    actor = actor_for(member, DECISION)
    if after.get("status") != before.get("status"):
        notify.tell_status(after, person, actor)
    if payment is not None:
        notify.tell_payment(after, payment, person, actor)


def move(
    member: StaffMember,
    application_id,
    version: int,
    target: str,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> dict:
    """Move the application to ``target``; raises NotFound, NotPossibleNow,
    ChangedMeanwhile or RegistryRefused."""
    current = application_for(member, application_id, DECISION)
    if current["version"] == version and not states.may_move(
        member.role, current["status"], target
    ):
        raise NotPossibleNow(current)
    updated = _write(member, current, version, {"status": target}, reason=reason, note=note)
    _tell(member, current, updated)
    return updated


@dataclass(frozen=True)
class NewPayment:
    paid_on: dt.date
    period: str  # YYYY-MM
    amount_riel: int
    provider_reference: str | None = None


def _payment_changes(application: dict, payment: NewPayment, payment_id: str) -> tuple[dict, dict]:
    """The write adding one payment (enrolling an approved application with it)."""
    entry = {
        "id": payment_id,
        "paid_on": payment.paid_on.isoformat(),
        "period": payment.period,
        "amount_riel": payment.amount_riel,
        "provider_reference": payment.provider_reference or None,
    }
    changes: dict = {"payments": [*(application.get("payments") or []), entry]}
    if application["status"] == states.APPROVED:
        changes["status"] = states.ENROLLED
    return changes, entry


def record_payment(member: StaffMember, application_id, version: int, payment: NewPayment) -> dict:
    """Add a payment; on an approved application the same write enrols it."""
    current = application_for(member, application_id, DECISION)
    if current["version"] == version and not states.may_record_payment(
        member.role, current["status"]
    ):
        raise NotPossibleNow(current)
    changes, entry = _payment_changes(current, payment, str(uuid.uuid4()))
    updated = _write(member, current, version, changes)
    _tell(member, current, updated, entry)
    return updated


# The payment provider's file

RECORDED = "recorded"
ALREADY_RECORDED = "already_recorded"
REFUSED = "refused"
NOT_DONE = "not_done"
NO_MATCH = _l("No application of your programmes has this reference and SPID.")
SEVERAL = _l(
    "Several applications have this reference and SPID. "
    "Record this payment on the application's page."
)
REGISTRY_SAID_NO = _l("The registry refused this payment.")
CHANGED = _l("The application was being changed at the same time. Import the file again.")


@dataclass(frozen=True)
class RowOutcome:
    line: int
    reference: str
    outcome: str  # RECORDED, ALREADY_RECORDED, REFUSED, NOT_DONE
    problems: tuple = ()  # what is wrong, in words (translatable)


def payment_id_for(application_id: str, transaction_id: str) -> str:
    """The same transaction of the same application has one id, however often
    the file is imported."""
    return str(uuid.uuid5(uuid.UUID(application_id), transaction_id))


def _import_row(member: StaffMember, row: Row, people: dict) -> RowOutcome:
    actor = actor_for(member, DECISION)
    for _attempt in range(2):
        found = registry().applications.list(
            actor=actor,
            page_size=2,
            reference=row.reference,
            applicant_spid=row.spid,
            programme_id=",".join(member.programme_ids),
        )
        if found.count != 1:
            problem = NO_MATCH if found.count == 0 else SEVERAL
            return RowOutcome(row.line, row.reference, REFUSED, (problem,))
        application = found.results[0]
        payment_id = payment_id_for(application["id"], row.transaction_id)
        if any(paid.get("id") == payment_id for paid in application.get("payments") or []):
            return RowOutcome(row.line, row.reference, ALREADY_RECORDED)
        if not states.may_record_payment(member.role, application["status"]):
            state = states.words(application["status"])[0]
            problem = _l(
                "The application is “%(state)s”: a payment is recorded only once it is approved.",
                state=state,
            )
            return RowOutcome(row.line, row.reference, REFUSED, (problem,))
        payment = NewPayment(row.paid_on, row.period, row.amount_riel, row.transaction_id)
        changes, entry = _payment_changes(application, payment, payment_id)
        try:
            updated = registry().applications.update(
                application["id"], changes, actor=actor, if_match=etag_of(application)
            )
        except RegistryPreconditionFailed:
            continue  # changed between the list and the write: look again
        except RegistryValidationError as refused:
            logger.info("the registry refused an imported payment: %s", refused.code)
            return RowOutcome(row.line, row.reference, REFUSED, (REGISTRY_SAID_NO,))
        _tell(member, application, updated, entry, people)
        return RowOutcome(row.line, row.reference, RECORDED)
    return RowOutcome(row.line, row.reference, REFUSED, (CHANGED,))


def import_payments(member: StaffMember, rows: list[Row]) -> list[RowOutcome]:
    """Record each right row's payment on its application (by reference and
    SPID, among the member's programmes). Stops when the time is used up or
    the registry does not answer: the rows left are "not done"."""
    outcomes: list[RowOutcome] = []
    people: dict = {}
    stopped = False
    with deadline(IMPORT_SECONDS):
        for row in rows:
            if row.problems:
                outcomes.append(RowOutcome(row.line, row.reference, REFUSED, row.problems))
                continue
            left = seconds_left()
            if stopped or (left is not None and left < ROW_SECONDS):
                stopped = True
                outcomes.append(RowOutcome(row.line, row.reference, NOT_DONE))
                continue
            try:
                outcomes.append(_import_row(member, row, people))
            except RegistryUnavailable:
                stopped = True
                outcomes.append(RowOutcome(row.line, row.reference, NOT_DONE))
    recorded = sum(outcome.outcome == RECORDED for outcome in outcomes)
    logger.info("payment file imported: %d rows, %d recorded", len(rows), recorded)
    return outcomes
