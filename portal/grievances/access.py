"""Which grievances a staff member may see.

A supervisor sees every case, except one that names them (its
``excluded_staff``). A handler sees the cases of their communes that are
neither confidential nor appeals, and not one that names them: a complaint
about staff conduct, fraud or abuse, and an appeal against a decision, go to
supervisors only, never to the commune's people. Every other role sees none.
The same rules make the registry query (``scope_filters``) and check one case
(``may_see``), so a list never shows what the case page would refuse.
"""

from __future__ import annotations

from portal.web.identity import StaffMember

HANDLER = "grievance_handler"
SUPERVISOR = "grievance_supervisor"
ROLES = (HANDLER, SUPERVISOR)


def may_see(member: StaffMember | None, case: dict) -> bool:
    if member is None or member.role not in ROLES:
        return False
    if member.username in (case.get("excluded_staff") or []):
        return False
    if member.role == SUPERVISOR:
        return True
    return (
        not case.get("confidential")
        and not case.get("appeal_of")
        and case.get("commune_code") in member.commune_codes
    )


def sees_nothing(member: StaffMember) -> bool:
    """A handler without a commune has no cases (rather than all of them)."""
    return member.role != SUPERVISOR and not member.commune_codes


def scope_filters(member: StaffMember) -> dict[str, str]:
    """List filters limiting a registry query to the cases ``member`` may see
    (check ``sees_nothing`` first: a handler without communes sees none)."""
    filters = {"visible_to": member.username}
    if member.role == SUPERVISOR:
        return filters
    return {
        **filters,
        "commune_code": ",".join(member.commune_codes),
        "confidential": "false",
        "is_appeal": "false",
    }
