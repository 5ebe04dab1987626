"""A signed-in citizen with a registry record is not asked what the registry knows."""

import datetime as dt

import pytest

from portal import create_app
from portal.registry_access import registry
from tests.accounts.conftest import TEST_ACTOR, ask_for_code, enter_code, last_code
from tests.conftest import PageCheckingClient, make_test_config
from tests.eligibility_web.conftest import ScreenerWalk
from tests.registry.factories import household_content, person_content


@pytest.fixture
def app(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    app.test_client_class = PageCheckingClient
    return app


def register_woman_in_verified_level_1_household(app) -> dict:
    with app.app_context():
        client = registry(app)
        person = client.persons.create(
            person_content(phone_number=["012 777 888"], birth_date="1990-03-14", sex="female"),
            actor=TEST_ACTOR,
        )
        expiry = (dt.date.today() + dt.timedelta(days=400)).isoformat()
        client.households.create(
            household_content(
                [(person["spid"], "head")],
                idpoor={
                    "level": 1,
                    "card_number": "IDP-TEST-1",
                    "expiry": expiry,
                    "verified_by": "MoP IDPoor list",
                    "verified_at": "2026-01-10T00:00:00Z",
                },
            ),
            actor=TEST_ACTOR,
        )
    return person


def test_registry_facts_are_used_and_not_asked(app, client):
    register_woman_in_verified_level_1_household(app)
    client.get("/?lang=en")
    ask_for_code(client, "012 777 888")
    enter_code(client, last_code(app))

    walk = ScreenerWalk(client)
    walk.unknown_until_done()
    assert not {"birth-date", "sex", "equity-card", "equity-card-end"} & set(walk.asked)
    assert "pregnant" in walk.asked  # still asked: the registry does not know it

    check = client.get("/eligibility/check").get_data(as_text=True)
    assert "14 March 1990 (from your registration)" in check
    assert "Yes, Level 1 (from your registration)" in check
    assert 'href="/eligibility/q/sex"' not in check

    results = client.get("/eligibility/results").get_data(as_text=True)
    eligible = results.split("You can get")[1].split("<h2>")[0]
    assert "Health Equity Fund" in eligible  # verified by the registry: eligible, not "likely"


def test_without_sign_in_everything_is_asked(client):
    walk = ScreenerWalk(client)
    assert walk.current() == "/eligibility/q/birth-date"
