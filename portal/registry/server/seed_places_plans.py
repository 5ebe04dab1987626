"""The plan of the demo households of Kampot (seed_places.py writes them): who
lives where, who registered them, their IDPoor cards, and the days on which their
applications and grievances moved. Everything follows from fixed names and the
day the data is made, so the same day gives the same plan.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from portal import gazetteer
from portal.local_time import LOCAL_TIME
from portal.registry.server.audit import Actor
from portal.registry.server.grievances import ACKNOWLEDGE_WITHIN, RESOLVE_WITHIN
from portal.registry.server.kinds import iso
from portal.registry.server.seed import MEN, SEED_ACTOR, SURNAMES, WOMEN, demo_id

PROVINCE = "07"  # Kampot: no household of the rest of the demo lives there
DISTRICTS = {"X": "0702", "Y": "0703"}  # Banteay Meas, Chhuk
COMMUNES = {"A": "070201", "B": "070202", "C": "070203", "D": "070302"}
HOUSEHOLDS = {"A": 26, "B": 21, "C": 4, "D": 23}  # C: too few to show
SIZES = [5, 3, 6, 4, 7, 2, 5, 4, 1, 6, 5, 6]  # persons per household, 4.5 on average
EXPIRED_CARD = ("B", 5)  # surveyed; its Equity Card ended on the last day of last year
SURVEY_DAYS_AGO = 420  # the IDPoor survey round the imported households come from
REGISTRATION, APPLICATION, GRIEVANCE = "registration", "application", "grievance"
PROGRAMME_DECISIONS = Actor("programme_officer:demo", None, APPLICATION, "cli")
COMPLAINTS_TEAM = Actor("grievance_handler:demo", None, "grievance handling", "cli")
CALL_CENTRE = Actor("grievance_handler:demo-call-centre", None, GRIEVANCE, "cli", "call_centre")

APPLICATION_PLANS = [
    "paid", "received", "refused", "approved", "submitted", "withdrawn",
    "information_requested", "paid", "documents_checked", "enrolled", "refused", "paid",
]  # fmt: skip
GRIEVANCE_PLANS = [
    "resolved", "received", "rejected", "overdue", "closed", "investigating",
    "resolved_late", "reopened", "overdue_investigating", "rejected_late_closed",
]  # fmt: skip
CATEGORIES = [
    "payment", "eligibility", "registration", "service_quality", "staff_conduct",
    "data_protection", "other", "abuse", "fraud",
]  # fmt: skip
DESCRIPTIONS = {
    "payment": "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភខែនេះទេ។",
    "eligibility": "ខ្ញុំគិតថាគ្រួសារខ្ញុំមានសិទ្ធិទទួលបានជំនួយ ប៉ុន្តែពាក្យស្នើសុំត្រូវបានបដិសេធ។",
    "registration": "ឈ្មោះរបស់ខ្ញុំនៅក្នុងបញ្ជីសរសេរខុស។",
    "service_quality": "ខ្ញុំរង់ចាំនៅសាលាឃុំយូរពេក។",
    "staff_conduct": "មន្ត្រីម្នាក់និយាយមិនសមរម្យដាក់ខ្ញុំ។",
    "fraud": "មានគេសុំលុយដើម្បីដាក់ឈ្មោះក្នុងបញ្ជី។",
    "abuse": "ខ្ញុំត្រូវបានគំរាមនៅពេលមកទទួលប្រាក់។",
    "data_protection": "លេខទូរស័ព្ទរបស់ខ្ញុំត្រូវបានចែកឱ្យអ្នកផ្សេង។",
    "other": "ខ្ញុំចង់ដឹងពីរបៀបប្ដូរអាសយដ្ឋាន។",
}
REFUSALS = {
    "not_eligible": "គ្រួសារមិនបំពេញលក្ខខណ្ឌរបស់កម្មវិធីនេះទេ។",
    "documents_missing": "ឯកសារមិនត្រូវបានយកមកទាន់ពេលកំណត់។",
    "already_receiving": "អ្នកទទួលបានជំនួយនេះរួចហើយ។",
}


def draw(key: str, choices: int) -> int:
    """A number in 0..choices-1 that depends only on ``key``."""
    return uuid.UUID(demo_id(f"places/{key}")).int % choices


def moment(day: date, key: str) -> datetime:
    """A moment of office hours in Phnom Penh on ``day``, in UTC."""
    start = datetime.combine(day, time(8), tzinfo=LOCAL_TIME)
    return (start + timedelta(minutes=draw(key, 8 * 60))).astimezone(UTC)


def officer(letter: str, purpose: str = REGISTRATION) -> Actor:
    """The commune office's officer, at the office."""
    return Actor(
        f"officer:demo-commune-{'ABCD'.index(letter) + 1}", None, purpose, "cli", "officer"
    )


class PlannedHousehold:
    """One planned household: its members, who registered it, when, its card."""

    def __init__(self, letter: str, number: int, today: date) -> None:
        self.letter, self.number, self.today = letter, number, today
        self.key = f"{letter}-{number}"
        self.commune = COMMUNES[letter]
        villages = gazetteer.villages(self.commune)
        self.village = villages[draw(f"{self.key}/village", len(villages))].code
        self.channel = ["officer", "portal", "survey"][(number + ord(letter)) % 3]
        if (letter, number) == EXPIRED_CARD:
            self.channel = "survey"
        self.officer = officer(letter)
        self.members = composition(self.key, SIZES[(number + ord(letter)) % len(SIZES)])
        self.surname = SURNAMES[draw(f"{self.key}/surname", len(SURNAMES))]

    def registered_days_ago(self, latest_case: int) -> int:
        if self.channel == "survey":
            return SURVEY_DAYS_AGO - draw(f"{self.key}/import", 30)
        return max(60 + draw(f"{self.key}/registered", 300), latest_case + 5)

    def creator(self) -> Actor:
        if self.channel == "officer":
            return self.officer
        if self.channel == "portal":
            return Actor("citizen:unregistered", "self", REGISTRATION, "cli")
        return SEED_ACTOR  # an import of the IDPoor survey

    def idpoor(self, registered: datetime) -> dict | None:
        choice = draw(f"{self.key}/idpoor", 4)
        if self.channel == "portal":  # told by the household, checked by nobody
            return None if choice < 2 else self._card(2) | {"self_declared": True}
        if choice == 3 and (self.letter, self.number) != EXPIRED_CARD:
            return None
        by = "officer:idpoor-survey" if self.channel == "survey" else self.officer.actor
        level = 1 + choice % 2
        return self._card(level) | {"verified_by": by, "verified_at": iso(registered)}

    def _card(self, level: int) -> dict:
        new_year = date(self.today.year, 1, 1)
        expiry = new_year + timedelta(days=365 + 30 * draw(f"{self.key}/expiry", 12))
        if (self.letter, self.number) == EXPIRED_CARD:
            expiry = new_year - timedelta(days=1)
        card = f"IDP-07-{self.letter}{self.number:03d}"
        return {"level": level, "card_number": card, "expiry": expiry.isoformat()}


def composition(key: str, size: int) -> list[tuple[str, str, int]]:
    """(household status, sex, age) of each member, the head first."""
    if size == 1:  # an elderly person living alone
        sex = "male" if draw(f"{key}/sex", 3) == 0 else "female"
        return [("head", sex, 65 + draw(f"{key}/age", 26))]
    if size == 2 and draw(f"{key}/elderly", 2) == 0:
        head = 60 + draw(f"{key}/age", 22)
        return [("head", "male", head), ("spouse", "female", head - 2 - draw(f"{key}/gap", 5))]
    head = 24 + draw(f"{key}/age", 27)
    widowed = size >= 3 and draw(f"{key}/widowed", 6) == 0
    members = [("head", "female" if widowed else "male", head)]
    if not widowed:
        members.append(("spouse", "female", max(19, head - draw(f"{key}/spouse", 6))))
    if size >= 6:  # the head's mother lives with them
        members.append(("mother", "female", max(60 + draw(f"{key}/mother", 31), head + 18)))
    mother = members[0 if widowed else 1][2]
    ages, age = [], draw(f"{key}/youngest", 8)
    while len(members) + len(ages) < size:
        ages.append(min(age, mother - 16))
        age += 2 + draw(f"{key}/gap-{len(ages)}", 3)
    for index, child in enumerate(reversed(ages)):
        members.append(("child", ["male", "female"][draw(f"{key}/child-{index}", 2)], child))
    return members


def person_content(plan: PlannedHousehold, index: int, registered: date) -> dict:
    status, sex, age = plan.members[index]
    key = f"{plan.key}-{index}"
    surname = plan.surname if status in ("head", "child") or sex == "male" else None
    surname = surname or SURNAMES[draw(f"{key}/surname", len(SURNAMES))]
    given = (WOMEN if sex == "female" else MEN)[draw(f"{key}/given", 8)]
    days = age * 365 + age // 4 + draw(f"{key}/born", 330)
    born = min(plan.today - timedelta(days=days), registered - timedelta(days=10))
    content = {
        "id": demo_id(f"places-person-{key}"),
        "name": {"given_name": given[1], "surname": surname[1]},
        "name_km": {"given_name": given[0], "surname": surname[0]},
        "birth_date": born.isoformat(),
        "sex": sex,
        "address": {"village_code": plan.village},
    }
    if age >= 80:
        content["birth_date_estimated"] = True
    if age >= 18 and draw(f"{key}/nin", 6):
        number = f"70{'ABCD'.index(plan.letter) + 1}{plan.number:03d}{index:02d}0"
        content["identifier"] = [{"identifier_type": "NIN", "identifier_value": number}]
    if age >= 18 and (status == "head" or draw(f"{key}/phone", 2)):
        content["phone_number"] = [
            f"097{'ABCD'.index(plan.letter) + 1}{plan.number:03d}{index:03d}"
        ]
    married = any(role == "spouse" for role, _sex, _age in plan.members)
    if status == "spouse" or (status == "head" and married):
        content["marital_status"] = "married"
    elif status in ("head", "mother"):
        content["marital_status"] = "widowed"
    return content


def programmes(members: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    """The programmes the household could apply to, each with its applicant."""
    options = []
    if any(role == "child" and age <= 2 for role, _sex, age in members):
        mother = 1 if members[1][0] == "spouse" else 0
        options.append(("pregnancy_child_cash", mother))
    elderly = [index for index, (_r, _s, age) in enumerate(members) if age >= 60]
    if elderly:
        options.append(("elderly_allowance", elderly[0]))
    if any(role == "child" and 6 <= age <= 17 for role, _sex, age in members):
        options.append(("scholarship", 0))
    return options or [("health_equity_fund", 0)]


def application_timeline(plan: str, key: str) -> tuple[list[tuple[str, int]], int]:
    """The states an application goes through, each with its day counted from its
    submission, and how many days ago it was submitted."""
    decision = 5 + draw(f"{key}/decision", 56)  # decided in 5 to 60 days
    received = 1 + draw(f"{key}/received", decision // 3)
    checked = received + 1 + draw(f"{key}/checked", decision - received - 1)
    start = [("submitted", 0), ("received", received)]
    checked_steps = [*start, ("documents_checked", checked)]
    enrolled = ("enrolled", decision + 3 + draw(f"{key}/enrolled", 8))
    steps = {
        "submitted": start[:1],
        "received": start,
        "documents_checked": checked_steps,
        "information_requested": [*start, ("information_requested", received + 2)],
        "approved": [*checked_steps, ("approved", decision)],
        "refused": [*checked_steps, ("refused", decision)],
        "enrolled": [*checked_steps, ("approved", decision), enrolled],
        "paid": [*checked_steps, ("approved", decision), enrolled],
        "withdrawn": [*start, ("withdrawn", received + 5 + draw(f"{key}/withdrawn", 15))],
    }[plan]
    wait = 40 if plan == "paid" else 1  # a first payment is made a month after enrolment
    return steps, steps[-1][1] + wait + draw(f"{key}/ago", 20 if plan == "enrolled" else 40)


def grievance_timeline(plan: str, key: str) -> tuple[list[tuple[str, int]], int]:
    """The states a grievance goes through, each with its day counted from its
    report, and how many days ago it was reported."""
    acknowledged = 1 + draw(f"{key}/acknowledged", 5)
    investigating = acknowledged + 1 + draw(f"{key}/investigating", 5)
    on_time = investigating + 2 + draw(f"{key}/decision", 29 - investigating)  # ≤ 30 days
    late = 31 + draw(f"{key}/late", 30)  # 31 to 60 days
    later = 3 + draw(f"{key}/later", 10)
    steps = {
        "received": [("received", 0)],
        "overdue": [("received", 0), ("acknowledged", acknowledged)],
        "investigating": [("received", 0), ("investigating", investigating)],
        "overdue_investigating": [("received", 0), ("investigating", investigating)],
        "resolved": [("received", 0), ("acknowledged", acknowledged), ("resolved", on_time)],
        "resolved_late": [("received", 0), ("investigating", investigating), ("resolved", late)],
        "rejected": [("received", 0), ("rejected", 3 + draw(f"{key}/rejected", 10))],
        "closed": [("received", 0), ("resolved", on_time), ("closed", on_time + later)],
        "rejected_late_closed": [("received", 0), ("rejected", late), ("closed", late + later)],
        "reopened": [("received", 0), ("resolved", on_time), ("reopened", on_time + later)],
    }[plan]
    last = steps[-1][1]
    ago = {
        "received": 2 + draw(f"{key}/ago", 10),
        "investigating": last + 1 + draw(f"{key}/ago", 28 - last),  # not overdue yet
        "overdue": 35 + draw(f"{key}/ago", 30),
        "overdue_investigating": 40 + draw(f"{key}/ago", 40),
    }.get(plan, last + 1 + draw(f"{key}/ago", 40))
    return steps, ago


def payments(application_id: str, enrolled: date, today: date) -> dict:
    """Monthly payments on the 5th, from the month after enrolment until yesterday."""
    made = []
    month = date(enrolled.year, enrolled.month, 5)
    while len(made) < 6:
        month = (month + timedelta(days=31)).replace(day=5)
        if month >= today:
            break
        period = (month - timedelta(days=10)).strftime("%Y-%m")
        made.append(
            {
                "id": str(uuid.uuid5(uuid.UUID(application_id), f"payment-{period}")),
                "paid_on": month.isoformat(),
                "period": period,
                "amount_riel": 40000,
                "provider_reference": f"WING-{month:%y%m}{application_id[:6].upper()}",
            }
        )
    return {"payments": made}


def due_dates(day: date) -> dict:
    return {
        "acknowledge_by": (day + ACKNOWLEDGE_WITHIN).isoformat(),
        "resolve_by": (day + RESOLVE_WITHIN).isoformat(),
    }
