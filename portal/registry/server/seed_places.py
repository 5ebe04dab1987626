"""Demo households enough to show figures by place: four communes of Kampot, in
two districts, registered at the commune office, on the portal or by an IDPoor
survey, with applications and grievances in every state.

Records are made through the store like any other, then backdated (their
``created_at``, history and decision moments) so that cases took days or weeks:
dates count back from the day the data is made. Ids are derived from fixed
names, so running it again changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.registry.server.applications import default_reference
from portal.registry.server.audit import Actor
from portal.registry.server.grievances import DECIDED
from portal.registry.server.grievances import default_reference as grievance_reference
from portal.registry.server.kinds import iso
from portal.registry.server.models import Application, Grievance, HistoryEntry, Household, Person
from portal.registry.server.seed import Step, _advance, _ensure, demo_id
from portal.registry.server.seed_places_plans import (
    APPLICATION,
    APPLICATION_PLANS,
    CALL_CENTRE,
    CATEGORIES,
    COMMUNES,
    COMPLAINTS_TEAM,
    DESCRIPTIONS,
    DISTRICTS,
    GRIEVANCE,
    GRIEVANCE_PLANS,
    HOUSEHOLDS,
    PROGRAMME_DECISIONS,
    PROVINCE,
    REFUSALS,
    PlannedHousehold,
    application_timeline,
    draw,
    due_dates,
    grievance_timeline,
    moment,
    officer,
    payments,
    person_content,
    programmes,
)

__all__ = ["COMMUNES", "DISTRICTS", "HOUSEHOLDS", "PROVINCE", "seed_places"]


def seed_places(session: Session, counts: dict) -> None:
    today = date.today()
    grievances = 0
    for letter, total in HOUSEHOLDS.items():
        applications = 0
        for number in range(total):
            plan = PlannedHousehold(letter, number, today)
            cases = []
            options = programmes(plan.members)
            options = options[number % len(options) :] + options[: number % len(options)]
            if number % 4 != 3:
                wanted = 2 if number % 5 == 0 and len(options) > 1 else 1
                for programme, applicant in options[:wanted]:
                    kind = APPLICATION_PLANS[applications % len(APPLICATION_PLANS)]
                    applications += 1
                    key = f"{plan.key}/{programme}"
                    cases.append(("application", programme, applicant, kind, key))
            if number % 3 == 1:
                kind = GRIEVANCE_PLANS[grievances % len(GRIEVANCE_PLANS)]
                category = CATEGORIES[grievances % len(CATEGORIES)]
                grievances += 1
                cases.append(("grievance", category, 0, kind, f"{plan.key}/grievance"))
            _seed_household(session, plan, cases, counts)
        if total >= 20:
            kind = GRIEVANCE_PLANS[grievances % len(GRIEVANCE_PLANS)]
            grievances += 1
            _seed_anonymous_grievance(session, letter, kind, today, counts)


def _timeline(case: tuple) -> tuple[list[tuple[str, int]], int]:
    record, _what, _applicant, kind, key = case
    if record == "application":
        return application_timeline(kind, key)
    return grievance_timeline(kind, key)


def _seed_household(session: Session, plan: PlannedHousehold, cases: list, counts: dict) -> None:
    timelines = [_timeline(case) for case in cases]
    registered_ago = plan.registered_days_ago(max((ago for _s, ago in timelines), default=0))
    registered_day = plan.today - timedelta(days=registered_ago)
    registered = moment(registered_day, f"{plan.key}/registered-at")
    creator = plan.creator()
    people = []
    for index in range(len(plan.members)):
        content = person_content(plan, index, registered_day)
        row = _ensure(session, "persons", content, counts, creator)
        _backdate(session, Person, "persons", row, [registered], registration_date=registered)
        people.append(row)
    household = {
        "id": demo_id(f"places-household-{plan.key}"),
        "members": [
            {"spid": person.spid, "household_status": status}
            for person, (status, _sex, _age) in zip(people, plan.members, strict=True)
        ],
        "address": {"village_code": plan.village},
        "idpoor": plan.idpoor(registered),
    }
    row = _ensure(session, "households", household, counts, creator)
    _backdate(session, Household, "households", row, [registered])
    level = (household["idpoor"] or {}).get("level")
    for case, (steps, ago) in zip(cases, timelines, strict=True):
        days = [plan.today - timedelta(days=ago - offset) for _status, offset in steps]
        if case[0] == "application":
            _seed_application(session, plan, people, case, steps, days, level, counts)
        else:
            _seed_grievance(session, plan, people[0], case, steps, days, counts)


def _citizen(person, purpose: str = APPLICATION) -> Actor:
    return Actor(f"citizen:{person.spid}", person.spid, purpose, "cli")


def _seed_application(session, plan, people, case, steps, days, level, counts) -> None:
    _record, programme, applicant, kind, key = case
    by_citizen = plan.channel == "portal"
    actor = _citizen(people[applicant]) if by_citizen else officer(plan.letter, APPLICATION)
    content = {
        "id": demo_id(f"places-application-{key}"),
        "programme_id": programme,
        "applicant_spid": people[applicant].spid,
        "household_id": demo_id(f"places-household-{plan.key}"),
        "facts": {"household_size": len(people), "idpoor_level": level},
        "channel": "web" if by_citizen else "officer",
        "reference": default_reference(demo_id(f"places-application-{key}"), days[0].year),
    }
    reason = list(REFUSALS)[draw(f"{key}/refusal", len(REFUSALS))]
    moves = {
        "received": Step("received", None, actor=plan.officer),
        "documents_checked": Step("documents_checked", None, actor=plan.officer),
        "information_requested": Step(
            "information_requested",
            "information_needed",
            "សូមយកប័ណ្ណសមធម៌ (IDPoor) មកឃុំ។",
            lambda _id: {"documents_due_by": (days[-1] + timedelta(days=14)).isoformat()},
            PROGRAMME_DECISIONS,
        ),
        "approved": Step("approved", None, actor=PROGRAMME_DECISIONS),
        "refused": Step("refused", reason, REFUSALS[reason], actor=PROGRAMME_DECISIONS),
        "enrolled": Step(
            "enrolled",
            None,
            changes=lambda row_id: payments(row_id, days[-1], plan.today) if kind == "paid" else {},
            actor=PROGRAMME_DECISIONS,
        ),
        "withdrawn": Step("withdrawn", None, "ខ្ញុំមិនត្រូវការជំនួយនេះទៀតទេ។", actor=actor),
    }
    row = _ensure(session, "applications", content, counts, actor)
    path = [Step("submitted"), *(moves[status] for status, _day in steps[1:])]
    row = _advance(session, "applications", row, path, actor)
    moments = [
        moment(day, f"{key}/{status}-at") for (status, _o), day in zip(steps, days, strict=True)
    ]
    _backdate(session, Application, "applications", row, moments)


def _seed_grievance(session, plan, head, case, steps, days, counts) -> None:
    _record, category, _who, _kind, key = case
    complainant = {"anonymous": False, "spid": head.spid, "language": "km"}
    if plan.channel == "portal":
        channel, reporter = "web", _citizen(head, GRIEVANCE)
    elif draw(f"{key}/channel", 2):
        channel, reporter = "call_centre", CALL_CENTRE
    else:
        channel, reporter = "officer", officer(plan.letter, GRIEVANCE)
    where = (plan.commune, key, category)
    _grievance(session, where, complainant, channel, reporter, steps, days, counts)


def _seed_anonymous_grievance(session, letter, kind, today, counts) -> None:
    """A complaint left in the commune office's box, with no name."""
    key = f"{letter}-anonymous/grievance"
    steps, ago = grievance_timeline(kind, key)
    days = [today - timedelta(days=ago - offset) for _status, offset in steps]
    reporter = officer(letter, GRIEVANCE)
    complainant = {"anonymous": True, "language": "km"}
    where = (COMMUNES[letter], key, "fraud")
    _grievance(session, where, complainant, "paper", reporter, steps, days, counts)


def _grievance(session, where, complainant, channel, reporter, steps, days, counts) -> None:
    commune, key, category = where
    content = {
        "id": demo_id(f"places-grievance-{key}"),
        "category": category,
        "description": DESCRIPTIONS[category],
        "channel": channel,
        "complainant": complainant,
        "commune_code": commune,
        "reference": grievance_reference(demo_id(f"places-grievance-{key}"), days[0].year),
        **due_dates(days[0]),
    }
    decision = ["upheld", "partly_upheld", "referred"][draw(f"{key}/decision-code", 3)]
    reopener = reporter if reporter.actor.startswith("citizen:") else COMPLAINTS_TEAM
    moves = {
        "acknowledged": Step("acknowledged", None, actor=COMPLAINTS_TEAM),
        "investigating": Step("investigating", None, actor=COMPLAINTS_TEAM),
        "resolved": Step(
            "resolved",
            decision,
            "បញ្ហាត្រូវបានដោះស្រាយ។",
            lambda _id: {"decision_code": decision},
            COMPLAINTS_TEAM,
        ),
        "rejected": Step(
            "rejected",
            "not_upheld",
            "ការតវ៉ានេះមិនមានមូលដ្ឋានគ្រប់គ្រាន់។",
            lambda _id: {"decision_code": "not_upheld"},
            COMPLAINTS_TEAM,
        ),
        "closed": Step("closed", None, actor=COMPLAINTS_TEAM),
        "reopened": Step(
            "reopened",
            "reopened_by_reporter",
            "បញ្ហានៅតែមិនទាន់ដោះស្រាយ។",
            lambda _id: {"satisfied": None, **due_dates(days[-1])},
            reopener,
        ),
    }
    row = _ensure(session, "grievances", content, counts, reporter)
    path = [Step("received"), *(moves[status] for status, _day in steps[1:])]
    row = _advance(session, "grievances", row, path, reporter)
    moments = [
        moment(day, f"{key}/{status}-at") for (status, _o), day in zip(steps, days, strict=True)
    ]
    decided = next(
        (m for (status, _o), m in zip(steps, moments, strict=True) if status in DECIDED), None
    )
    columns = {"decided_at": decided} if decided else {}
    _backdate(session, Grievance, "grievances", row, moments, **columns)


def _backdate(session: Session, model, record_type: str, row, moments: list, **columns) -> None:
    """Move the record's creation, status changes (and ``columns``) to ``moments``,
    unless it was made on an earlier run (it is then at or before them already)."""
    if _aware(row.created_at) <= moments[0]:
        return
    entries = session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.record_type == record_type, HistoryEntry.record_id == row.id)
        .order_by(HistoryEntry.id)
    ).all()
    changes = -1
    for entry in entries:
        changes += entry.kind == "status_change"
        entry.at = moments[min(max(changes, 0), len(moments) - 1)]
    if "decided_at" in columns:
        columns["data"] = {**row.data, "decided_at": iso(columns["decided_at"])}
    session.execute(
        update(model)
        .where(model.id == row.id)
        .values(created_at=moments[0], updated_at=moments[-1], **columns)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite has no zones
