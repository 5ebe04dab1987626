"""The queue's views and filters as registry list filters, always within what
the staff member may see (portal.grievances.access).

Views: all open cases, overdue (to be resolved before today), due today, the
next 7 days, not assigned, mine, and (supervisors) escalated. A state chosen
in the filters replaces "open", except in the views by due date, which are
about open cases only. A search by reference or phone looks at every state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.grievances import access, states
from portal.web.identity import StaffMember

UPCOMING_DAYS = 7
DUE_VIEWS = frozenset({"overdue", "today", "upcoming"})


@dataclass(frozen=True)
class Choice:
    """What the handler asked the queue for (validated by the filter form)."""

    view: str = "open"
    status: str | None = None
    category: str | None = None
    commune_code: str | None = None
    assignee: str | None = None
    programme_id: str | None = None
    reference: str | None = None
    phone: str | None = None

    @property
    def searching(self) -> bool:
        return bool(self.reference or self.phone)


def choice_of(form) -> Choice:
    return Choice(
        view=form.view.data or "open",
        status=form.status.data or None,
        category=form.category.data or None,
        commune_code=form.commune.data or None,
        assignee=form.assignee.data or None,
        programme_id=form.programme.data or None,
        reference=form.reference,
        phone=form.phone,
    )


def ordering(member: StaffMember) -> str:
    """Supervisors see escalated cases first; everyone works by due date."""
    return "escalated_first" if member.role == access.SUPERVISOR else "resolve_by"


def _statuses(choice: Choice) -> str | None:
    """The grievance_status filter; "" when nothing can match."""
    if choice.view in DUE_VIEWS:
        if choice.status:
            return choice.status if choice.status in states.OPEN else ""
        return ",".join(sorted(states.OPEN))
    if choice.status:
        return choice.status
    if choice.searching:
        return None
    return ",".join(sorted(states.OPEN))


def _view_filters(choice: Choice, member: StaffMember, today: dt.date) -> dict[str, str] | None:
    if choice.view == "overdue":
        return {"due_before": today.isoformat()}
    if choice.view == "today":
        tomorrow = today + dt.timedelta(days=1)
        return {"due_from": today.isoformat(), "due_before": tomorrow.isoformat()}
    if choice.view == "upcoming":
        start = today + dt.timedelta(days=1)
        end = today + dt.timedelta(days=UPCOMING_DAYS + 1)
        return {"due_from": start.isoformat(), "due_before": end.isoformat()}
    if choice.view == "unassigned":
        return None if choice.assignee else {"assigned": "false"}
    if choice.view == "mine":
        if choice.assignee and choice.assignee != member.username:
            return None
        return {"assignee": member.username}
    if choice.view == "escalated":
        return {"escalated": "true"} if member.role == access.SUPERVISOR else None
    return {}


def list_filters(member: StaffMember, choice: Choice, today: dt.date) -> dict[str, str] | None:
    """The registry list filters (without ordering) for this member and choice;
    None when nothing can match (a handler without communes, a commune outside
    theirs, contradicting choices)."""
    if member.role not in access.ROLES or access.sees_nothing(member):
        return None
    query = dict(access.scope_filters(member))
    if choice.commune_code:
        if member.role != access.SUPERVISOR and choice.commune_code not in member.commune_codes:
            return None
        query["commune_code"] = choice.commune_code
    view = _view_filters(choice, member, today)
    if view is None:
        return None
    query.update(view)
    statuses = _statuses(choice)
    if statuses == "":
        return None
    if statuses:
        query["grievance_status"] = statuses
    optional = {
        "category": choice.category,
        "programme_id": choice.programme_id,
        "reference": choice.reference,
        "contact_phone": choice.phone,
    }
    if choice.assignee and "assignee" not in query:
        optional["assignee"] = choice.assignee
    query.update({name: value for name, value in optional.items() if value})
    return query
