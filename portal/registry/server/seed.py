"""Demo population: Khmer names with Latin spellings, households in six provinces,
IDPoor levels, and applications, grievances, consents and change requests in
several states; with ``places``, also 74 households in four communes of Kampot
(seed_places.py), enough to show figures by place. Ids are derived from fixed
names, so running it again changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

from portal import gazetteer
from portal.registry.server import store
from portal.registry.server.applications import default_reference
from portal.registry.server.audit import Actor
from portal.registry.server.grievances import default_reference as grievance_reference
from portal.registry.server.record_kinds import RECORD_KINDS

_NAMESPACE = uuid.UUID("5d0c3c55-6f1e-4c1b-9a57-2a8c0b6b7e11")
SEED_ACTOR = Actor(
    actor="system:seed-demo", on_behalf_of=None, purpose="demo-data", client_id="cli"
)

SURNAMES = [
    ("សុខ", "Sok"), ("ចាន់", "Chan"), ("ហេង", "Heng"), ("លី", "Ly"), ("កែវ", "Keo"),
    ("ម៉ៅ", "Mao"), ("សៀង", "Seang"), ("ពេជ្រ", "Pech"), ("យឹម", "Yim"), ("នួន", "Nuon"),
]  # fmt: skip
WOMEN = [
    ("សុភា", "Sophea"), ("ស្រីមុំ", "Srey Mom"), ("ចិន្តា", "Chenda"), ("បុប្ផា", "Bopha"),
    ("ធីតា", "Thida"), ("សុខា", "Sokha"), ("រតនា", "Ratana"), ("ស្រីនិច", "Srey Nich"),
]  # fmt: skip
MEN = [
    ("ដារា", "Dara"), ("វិចិត្រ", "Vichet"), ("សុភ័ក្រ", "Sopheak"), ("ពិសិដ្ឋ", "Piseth"),
    ("រិទ្ធី", "Rithy"), ("វណ្ណៈ", "Vannak"), ("បូរ៉ា", "Bora"), ("សំណាង", "Samnang"),
]  # fmt: skip
# Phnom Penh, Siem Reap, Battambang, Kampong Cham, Takeo, Prey Veng.
PROVINCES = ["12", "17", "02", "03", "21", "14"]
HOUSEHOLDS = 12
IDPOOR_LEVELS = [1, 2, None]
EXPIRED_CARD_HOUSEHOLD = 10  # its Equity Card ended on the last day of last year


class Step(NamedTuple):
    """One status change of a demo record: why, a note, and other fields changed with it."""

    status: str
    reason: str | None = "demo"
    note: str | None = None
    changes: Callable[[str], dict] | None = None  # the record's id → fields to change
    actor: Actor | None = None  # who makes the change (None: whoever advances the record)


def _demo_payments(application_id: str) -> dict:
    """The first two monthly payments, recorded in the write that enrols the applicant."""
    payments = [
        {
            "id": str(uuid.uuid5(_NAMESPACE, f"{application_id}/payment-{month}")),
            "paid_on": f"2026-{month:02d}-05",
            "period": f"2026-{month - 1:02d}",
            "amount_riel": 40000,
            "provider_reference": f"WING-{month:02d}{application_id[:6].upper()}",
        }
        for month in (2, 3)
    ]
    return {"payments": payments}


_RECEIVED = Step("received", None)
_CHECKED = Step("documents_checked", None)
APPLICATION_PATHS = [
    [Step("submitted")],
    [Step("submitted"), _RECEIVED],
    [
        Step("submitted"),
        _RECEIVED,
        _CHECKED,
        Step("approved", None),
        Step("enrolled", None, changes=_demo_payments),
    ],
    [
        Step("submitted"),
        _RECEIVED,
        _CHECKED,
        Step("refused", "documents_missing", "ឯកសារមិនត្រូវបានយកមកទាន់ពេលកំណត់។"),
    ],
    [
        Step("submitted"),
        _RECEIVED,
        Step("information_requested", "information_needed", "សូមយកប័ណ្ណសមធម៌ (IDPoor) មកឃុំ។"),
    ],
]
# The year in the demo applications' references (AP-<year>-<6 digits>).
DEMO_YEAR = 2026
_UPHELD = Step(
    "resolved",
    "upheld",
    "ប្រាក់ខែនេះនឹងបើកជូនក្នុងខែក្រោយ។",
    lambda _id: {"decision_code": "upheld"},
)
GRIEVANCE_PATHS = [
    ["received"],
    ["received", "acknowledged"],
    ["received", "acknowledged", "investigating"],
    ["received", "investigating", _UPHELD],
    ["received", "investigating", _UPHELD, "closed"],
    [
        "received",
        Step("rejected", "not_upheld", None, lambda _id: {"decision_code": "not_upheld"}),
    ],
]
# Ids of the programmes in portal/eligibility/programmes/, so pages can name them.
PROGRAMMES = ["pregnancy_child_cash", "elderly_allowance", "disability_allowance"]
SHARED_PHONE = "012 000 777"  # the mother and son of household-shared-phone
CLAIMABLE_NIN = "123456789"  # claimable-person: registered, no phone
CLAIMABLE_BIRTH_DATE = "1980-05-17"


def demo_id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _village(number: int) -> str:
    return _village_in(PROVINCES[number % len(PROVINCES)], number % 3, number % 2)


def _village_in(province: str, district_index: int, village_index: int) -> str:
    """A village of the first commune of a district of ``province``."""
    district = gazetteer.districts(province)[district_index]
    commune = gazetteer.communes(district.code)[0]
    return gazetteer.villages(commune.code)[village_index].code


def _grievance_due_dates(number: int) -> dict:
    """Due dates counted from the day the demo data is made; every third
    grievance's have passed, so the back office has overdue cases to show."""
    today = date.today()
    start = today - timedelta(days=20) if number % 3 == 0 else today
    return {
        "acknowledge_by": (start + timedelta(days=3)).isoformat(),
        "resolve_by": (start + timedelta(days=15)).isoformat(),
    }


def _card_expiry(household: int) -> date:
    """Valid cards, ending one to two years after the year the demo data is made
    (so the demo keeps working), except one household's card, which has expired."""
    new_year = date(date.today().year, 1, 1)
    if household == EXPIRED_CARD_HOUSEHOLD:
        return new_year - timedelta(days=1)
    return new_year + timedelta(days=365 + 30 * household)


def _person(household: int, member: int, village: str) -> dict:
    surname = SURNAMES[household % len(SURNAMES)]
    woman = member in (1, 3)
    given = (WOMEN if woman else MEN)[(household + member) % 8]
    age = {0: 45, 1: 41}.get(member, max(16 - 5 * member, 0))  # the fifth member is a baby
    born = date(2025 - age, 1 + (household + member) % 12, 1 + (household * 7 + member) % 28)
    content = {
        "id": demo_id(f"person-{household}-{member}"),
        "name": {"given_name": given[1], "surname": surname[1]},
        "name_km": {"given_name": given[0], "surname": surname[0]},
        "birth_date": born.isoformat(),
        "sex": "female" if woman else "male",
        "address": {"village_code": village},
    }
    if age >= 15:
        content["identifier"] = [
            {
                "identifier_type": "NIN",
                "identifier_value": f"1{household:02d}{member:02d}0{age:03d}",
            }
        ]
        content["phone_number"] = [f"0{12 + member}{household:03d}{age:03d}"]
    return content


def _advance(
    session: Session,
    kind_name: str,
    row,
    path: list[str] | list[Step],
    actor: Actor = SEED_ACTOR,
):
    """Move the record along ``path`` from where it is (a second run moves nothing)."""
    kind = RECORD_KINDS[kind_name]
    steps = [step if isinstance(step, Step) else Step(step) for step in path]
    statuses = [step.status for step in steps]
    current = getattr(row, kind.status_field)
    for step in steps[statuses.index(current) + 1 :]:
        changes = step.changes(row.id) if step.changes else {}
        row, _ = store.update(
            session,
            kind,
            row,
            {**changes, kind.status_field: step.status},
            step.actor or actor,
            status_change={"reason": step.reason, "note": step.note},
        )
    return row


def _ensure(
    session: Session, kind_name: str, content: dict, counts: dict, actor: Actor = SEED_ACTOR
):
    """Create the record unless it exists (then it is left exactly as it is)."""
    kind = RECORD_KINDS[kind_name]
    counts[kind_name] += 1
    row = session.get(kind.model, content["id"])
    if row is not None:
        return row
    counts["created"] += 1
    return store.create(session, kind, content, actor)


def seed_demo(session: Session, *, places: bool = True) -> dict[str, int]:
    """The demo population; with ``places``, also the households of Kampot that
    make figures by place worth showing (seed_places.py: slower to make)."""
    counts = dict.fromkeys([*RECORD_KINDS, "created"], 0)
    heads = []
    for number in range(HOUSEHOLDS):
        village = _village(number)
        size = 2 + number % 4
        people = [
            _ensure(session, "persons", _person(number, m, village), counts) for m in range(size)
        ]
        roles = ["head", "spouse"] + ["child"] * (size - 2)
        level = IDPOOR_LEVELS[number % 3]
        idpoor = None
        if level:
            expiry = _card_expiry(number).isoformat()
            idpoor = {
                "level": level,
                "card_number": f"IDP-{number:05d}",
                "expiry": expiry,
                "verified_by": "officer:idpoor-survey",
                "verified_at": "2024-11-05T09:00:00+07:00",
            }
        household = {
            "id": demo_id(f"household-{number}"),
            "members": [
                {"spid": p.spid, "household_status": role}
                for p, role in zip(people, roles, strict=True)
            ],
            "address": {"village_code": village},
            "idpoor": idpoor,
        }
        _ensure(session, "households", household, counts)
        heads.append((people[0], number, village))
    for head, number, village in heads:
        _seed_workflows(session, head, number, village, counts)
    _seed_shared_phone_household(session, counts)
    _seed_claimable_person(session, counts)
    if places:
        from portal.registry.server.seed_places import seed_places  # it imports this module

        seed_places(session, counts)
    return counts


def _seed_shared_phone_household(session: Session, counts: dict) -> None:
    """One phone, several people: an elderly mother (no national ID) and her adult
    son share one number, as many families do."""
    village = _village_in("03", 1, 0)  # Kampong Cham; no numbered household lives there
    mother = {
        "id": demo_id("shared-phone-mother"),
        "name": {"given_name": "Srey Mom", "surname": "Yim"},
        "name_km": {"given_name": "ស្រីមុំ", "surname": "យឹម"},
        "birth_date": "1950-07-01",
        "birth_date_estimated": True,
        "sex": "female",
        "phone_number": [SHARED_PHONE],
        "address": {"village_code": village},
        "marital_status": "widowed",
    }
    son = {
        "id": demo_id("shared-phone-son"),
        "identifier": [{"identifier_type": "NIN", "identifier_value": "130010046"}],
        "name": {"given_name": "Samnang", "surname": "Yim"},
        "name_km": {"given_name": "សំណាង", "surname": "យឹម"},
        "birth_date": "1979-08-22",
        "sex": "male",
        "phone_number": [SHARED_PHONE],
        "address": {"village_code": village},
        "marital_status": "single",
    }
    people = [_ensure(session, "persons", person, counts) for person in (mother, son)]
    household = {
        "id": demo_id("household-shared-phone"),
        "members": [
            {"spid": people[0].spid, "household_status": "head"},
            {"spid": people[1].spid, "household_status": "child"},
        ],
        "address": {"village_code": village},
        "idpoor": {"level": 2, "card_number": "IDP-SP-0001", "self_declared": True},
    }
    _ensure(session, "households", household, counts)


def _seed_claimable_person(session: Session, counts: dict) -> None:
    """Already registered, no phone (as after an IDPoor survey): a citizen can
    claim the record with the national ID and birth date."""
    village = _village_in("14", 0, 0)  # Prey Veng; no numbered household lives there
    person = {
        "id": demo_id("claimable-person"),
        "identifier": [{"identifier_type": "NIN", "identifier_value": CLAIMABLE_NIN}],
        "name": {"given_name": "Vichet", "surname": "Pech"},
        "name_km": {"given_name": "វិចិត្រ", "surname": "ពេជ្រ"},
        "birth_date": CLAIMABLE_BIRTH_DATE,
        "sex": "male",
        "address": {"village_code": village},
        "marital_status": "married",
    }
    row = _ensure(session, "persons", person, counts)
    household = {
        "id": demo_id("household-claimable"),
        "members": [{"spid": row.spid, "household_status": "head"}],
        "address": {"village_code": village},
        "idpoor": {
            "level": 1,
            "card_number": "IDP-SV-0001",
            "expiry": "2027-06-30",
            "verified_by": "officer:idpoor-survey",
            "verified_at": "2024-11-05T09:00:00+07:00",
            "self_declared": False,
        },
    }
    _ensure(session, "households", household, counts)


def _seed_workflows(session: Session, head, number: int, village: str, counts: dict) -> None:
    _ensure(
        session,
        "consents",
        {
            "id": demo_id(f"consent-{number}"),
            "individual_spid": head.spid,
            "purpose": "registration",
            "legal_basis": "consent",
            "opt_in": True,
            "collected_by": "officer:demo",
            "collected_at": "2025-01-15T09:00:00+07:00",
        },
        counts,
    )
    application = {
        "id": demo_id(f"application-{number}"),
        "programme_id": PROGRAMMES[number % len(PROGRAMMES)],
        "applicant_spid": head.spid,
        "household_id": demo_id(f"household-{number}"),
        "facts": {"household_size": 2 + number % 4, "idpoor_level": IDPOOR_LEVELS[number % 3]},
        "channel": "web" if number % 2 else "officer",
        "reference": default_reference(demo_id(f"application-{number}"), DEMO_YEAR),
    }
    row = _ensure(session, "applications", application, counts)
    _advance(session, "applications", row, APPLICATION_PATHS[number % len(APPLICATION_PATHS)])
    if number % 2 == 0:
        grievance = {
            "id": demo_id(f"grievance-{number}"),
            "category": ["payment", "eligibility", "registration"][number % 3],
            "description": "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភខែនេះទេ។",
            "channel": "web",
            "complainant": {"anonymous": False, "spid": head.spid, "language": "km"},
            "commune_code": village[:6],
            "reference": grievance_reference(demo_id(f"grievance-{number}"), DEMO_YEAR),
            **_grievance_due_dates(number),
        }
        row = _ensure(session, "grievances", grievance, counts)
        path = GRIEVANCE_PATHS[(number // 2) % len(GRIEVANCE_PATHS)]
        _advance(session, "grievances", row, path)
    if number % 5 == 0:
        change = {
            "id": demo_id(f"change-request-{number}"),
            "person_spid": head.spid,
            "request_type": "phone_number",
            "proposed_changes": {"phone_number": [f"097{number:03d}4455"]},
            "justification": "ប្ដូរលេខទូរស័ព្ទថ្មី",
        }
        row = _ensure(session, "change-requests", change, counts)
        _advance(session, "change-requests", row, ["submitted", "in_review"][: 1 + number % 2])
