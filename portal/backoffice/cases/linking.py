"""Linking a grievance case to an application or to the person it is about,
and turning a "my data is wrong" case into a change request for that person.
Calls the registry like portal.backoffice.cases.services, whose checks (the
version shown, who may see the case) it uses."""

from __future__ import annotations

import logging
import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.backoffice.cases import services
from portal.grievances import states
from portal.registry.client import RegistryConflict, RegistryNotFound, RegistryValidationError
from portal.registry_access import registry
from portal.web.identity import StaffMember

logger = logging.getLogger("portal.backoffice.cases")

JUSTIFICATION_MAX = 2000


def _person(member: StaffMember, spid: str) -> dict | None:
    try:
        return registry().persons.read_by_spid(spid, actor=services.actor_for(member))
    except (RegistryNotFound, RegistryValidationError):
        return None


def link(
    member: StaffMember, case_id, version: int, reference: str | None, spid: str | None
) -> dict:
    """Link the case to an application (by its reference; with the SPID when
    several share it) and/or to the person it is about."""
    case = services.current_version(member, case_id, version)
    changes: dict = {}
    if spid:
        if _person(member, spid) is None:
            raise services.Problem("spid", _l("No person in the registry has this SPID."))
        changes["subject_spid"] = spid
    if reference:
        filters = {"reference": reference, **({"applicant_spid": spid} if spid else {})}
        found = registry().applications.list(
            actor=services.actor_for(member), page_size=2, **filters
        )
        if found.count == 0:
            raise services.Problem("application", _l("No application has this reference."))
        if found.count > 1:
            raise services.Problem(
                "spid", _l("Several applications have this reference: enter the SPID too.")
            )
        changes["application_id"] = found.results[0]["id"]
    return services.write(member, case, changes)


def may_make_change_request(case: dict) -> bool:
    return (
        case.get("category") == "registration"
        and bool(case.get("subject_spid"))
        and not case.get("change_request_id")
        and case.get("status") in states.OPEN
    )


def change_request_id_for(case: dict) -> str:
    """One change request per case, whatever the retries."""
    return str(uuid.uuid5(uuid.UUID(case["id"]), "change-request"))


def make_change_request(
    member: StaffMember, case_id, version: int, request_type: str, proposed: dict
) -> dict:
    """A "my data is wrong" case becomes a change request for the person it is
    about: the correction the handler found with the reporter, with the
    reporter's words as its justification; the case keeps its id and an
    internal note says so. The commune officer confirms it as any other."""
    case = services.current_version(member, case_id, version)
    if not may_make_change_request(case):
        raise services.NotPossibleNow(case)
    request_id = change_request_id_for(case)
    justification = f"{case['reference']}: {case.get('description') or ''}"[:JUSTIFICATION_MAX]
    content = {
        "id": request_id,
        "person_spid": case["subject_spid"],
        "request_type": request_type,
        "proposed_changes": proposed,
        "justification": justification,
    }
    try:
        registry().change_requests.create(content, actor=services.actor_for(member))
    except RegistryConflict:
        pass  # made by an earlier try of this same action
    except RegistryValidationError as refused:
        logger.info("the registry refused a change request: %s", ", ".join(refused.field_errors))
        raise services.RegistryRefused(case, list(refused.field_errors)) from None
    text = _(
        "A change request was made from this case for the person with SPID %(spid)s.",
        spid=case["subject_spid"],
    )
    return services.write(
        member, case, {"change_request_id": request_id}, event=("internal_note", text)
    )
