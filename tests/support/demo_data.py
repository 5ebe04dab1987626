"""The demo population (portal/registry/server/seed.py) in a test app's embedded
registry, and who is who in it."""

from __future__ import annotations

from flask import Flask

from portal.registry.server import seed
from portal.registry.server.seed import demo_id, seed_demo
from portal.registry_access import registry

DEMO_CITIZEN_PHONE = "012 000 045"  # household 0's head: SPID, household, application, grievance

# One phone, several people: an elderly mother (no national ID, year of birth
# only) and her adult son, one household, both with this number.
SHARED_PHONE = seed.SHARED_PHONE  # 012 000 777
SHARED_PHONE_MOTHER_ID = demo_id("shared-phone-mother")
SHARED_PHONE_SON_ID = demo_id("shared-phone-son")
SHARED_PHONE_HOUSEHOLD_ID = demo_id("household-shared-phone")

# Already registered, no phone (as after an IDPoor survey): one adult, a
# household of their own with a verified IDPoor Level 1 card.
CLAIMABLE_NIN = seed.CLAIMABLE_NIN  # 123456789
CLAIMABLE_BIRTH_DATE = seed.CLAIMABLE_BIRTH_DATE  # 1980-05-17
CLAIMABLE_PERSON_ID = demo_id("claimable-person")
CLAIMABLE_HOUSEHOLD_ID = demo_id("household-claimable")


# With places=True (seed_places.py): households in four communes of one province,
# enough to show figures by place; commune C has too few to show.
FIGURES_PROVINCE = "07"  # Kampot
FIGURES_DISTRICT = "0702"  # Banteay Meas: communes A, B and C
FIGURES_OTHER_DISTRICT = "0703"  # Chhuk: commune D
FIGURES_DISTRICTS = {"X": FIGURES_DISTRICT, "Y": FIGURES_OTHER_DISTRICT}
FIGURES_COMMUNES = {"A": "070201", "B": "070202", "C": "070203", "D": "070302"}
FIGURES_HOUSEHOLDS = {"A": 26, "B": 21, "C": 4, "D": 23}  # active households by commune


def load_demo_population(app: Flask, places: bool = False) -> dict[str, int]:
    """The demo population; ``places`` adds the households of FIGURES_PROVINCE
    (one to three seconds more on SQLite, so only the figures tests ask for them)."""
    with app.app_context():
        embedded = registry(app).embedded_app
        with embedded.extensions["registry.sessions"]() as session:
            return seed_demo(session, places=places)


def demo_person_id(household: int, member: int) -> str:
    return demo_id(f"person-{household}-{member}")
