"""The numbers of the supervisors' dashboard, counted from the registry's cases.

The only module of the dashboard that calls the registry. It lists the cases
the supervisor may see (portal.grievances.access.scope_filters) that are open,
and those decided in the last 90 days, page by page, and counts them: open
cases by state and by subject, how many are overdue (open, and the day to
resolve them has passed), the median days from report to decision, and the
same per commune. A commune or a subject chosen on the page narrows every
figure.

Days are Phnom Penh days: a case reported and decided on the same day took
0 days.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from portal.grievances import access, states
from portal.grievances.categories import CATEGORIES
from portal.local_time import local_day
from portal.local_time import today as local_today
from portal.registry.client import Actor
from portal.registry_access import registry
from portal.web.identity import StaffMember

PAGE_SIZE = 100
MAX_PAGES = 200  # 20,000 cases: far more than a dashboard is for
DECIDED_WITHIN_DAYS = 90
# Open states in the order a case goes through them.
OPEN_STATES = (states.RECEIVED, states.ACKNOWLEDGED, states.INVESTIGATING, states.REOPENED)
PURPOSE = "grievance dashboard"


@dataclass(frozen=True)
class Commune:
    """One commune's figures (code "" for cases without a commune)."""

    code: str
    open: int
    overdue: int
    median_days: float | None


@dataclass(frozen=True)
class Figures:
    today: dt.date
    since: dt.date  # decided on or after this day
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    open: int
    overdue: int
    decided: int
    median_days: float | None
    communes: list[Commune] = field(default_factory=list)


def _actor(member: StaffMember) -> Actor:
    return Actor(actor=f"{member.role}:{member.username}", purpose=PURPOSE, on_behalf_of=None)


def _all(actor: Actor, filters: dict[str, str]) -> list[dict]:
    cases: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        found = registry().grievances.list(
            actor=actor, page=page, page_size=PAGE_SIZE, ordering="created_at", **filters
        )
        cases.extend(found.results)
        if not found.next or not found.results:
            break
    return cases


def _scope(member: StaffMember, commune: str | None, category: str | None) -> dict | None:
    """The list filters of what the member may see, narrowed; None when nothing."""
    if access.sees_nothing(member):
        return None
    filters = dict(access.scope_filters(member))
    if commune:
        allowed = filters.get("commune_code")
        if allowed is not None and commune not in allowed.split(","):
            return None
        filters["commune_code"] = commune
    if category:
        filters["category"] = category
    return filters


def days_to_decide(case: dict) -> int | None:
    created, decided = local_day(case.get("created_at")), local_day(case.get("decided_at"))
    if created is None or decided is None:
        return None
    return max(0, (decided - created).days)


def median(values: list[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


def is_overdue(case: dict, today: dt.date) -> bool:
    resolve_by = case.get("resolve_by")
    return bool(resolve_by) and resolve_by[:10] < today.isoformat()


def count(
    member: StaffMember,
    *,
    commune: str | None = None,
    category: str | None = None,
    today: dt.date | None = None,
) -> Figures:
    """The dashboard's figures for ``member``, narrowed to a commune and a subject."""
    today = today or local_today()
    since = today - dt.timedelta(days=DECIDED_WITHIN_DAYS)
    scope = _scope(member, commune, category)
    actor = _actor(member)
    open_cases = [] if scope is None else _open_cases(actor, scope)
    decided = [] if scope is None else _decided_cases(actor, scope, since)
    return _figures(open_cases, decided, today, since)


def _open_cases(actor: Actor, scope: dict) -> list[dict]:
    filters = {**scope, "grievance_status": ",".join(OPEN_STATES)}
    return [case for case in _all(actor, filters) if case.get("status") in states.OPEN]


def _decided_cases(actor: Actor, scope: dict, since: dt.date) -> list[dict]:
    found = _all(actor, {**scope, "decided_after": since.isoformat()})
    return [case for case in found if (local_day(case.get("decided_at")) or since) >= since]


def _figures(open_cases: list[dict], decided: list[dict], today, since) -> Figures:
    statuses = Counter(case["status"] for case in open_cases)
    categories = Counter(case.get("category") or "" for case in open_cases)
    known = [(name, categories.pop(name, 0)) for name in CATEGORIES]
    overdue = [case for case in open_cases if is_overdue(case, today)]
    days = [d for d in (days_to_decide(case) for case in decided) if d is not None]
    return Figures(
        today=today,
        since=since,
        by_status=[(state, statuses.get(state, 0)) for state in OPEN_STATES],
        by_category=known + sorted(categories.items()),
        open=len(open_cases),
        overdue=len(overdue),
        decided=len(days),
        median_days=median(days),
        communes=_communes(open_cases, overdue, decided),
    )


def _communes(open_cases: list[dict], overdue: list[dict], decided: list[dict]) -> list[Commune]:
    opened = Counter(case.get("commune_code") or "" for case in open_cases)
    late = Counter(case.get("commune_code") or "" for case in overdue)
    days: dict[str, list[int]] = defaultdict(list)
    for case in decided:
        taken = days_to_decide(case)
        if taken is not None:
            days[case.get("commune_code") or ""].append(taken)
    codes = set(opened) | set(days)
    rows = [Commune(code, opened[code], late[code], median(days[code])) for code in codes]
    return sorted(rows, key=lambda row: (-row.open, -row.overdue, row.code == "", row.code))
