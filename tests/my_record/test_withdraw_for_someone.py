"""A commune officer withdraws a consent for the person they are helping, at
the commune office: the registry records the officer, the person and the
channel; the person then sees it on /me and in who looked at their data,
as their commune's office, never by the officer's username."""

from __future__ import annotations

import uuid

import pytest

from portal.registry_access import registry
from tests.my_record.conftest import sign_in, text_of
from tests.officer.conftest import (  # noqa: F401 (fixtures)
    OFFICER,
    READER,
    SETUP,
    act_for,
    app,
    officer,
    open_record,
    person,
    post,
)

ACTOR = f"officer:{OFFICER}@120101"


@pytest.fixture
def villager(app):  # noqa: F811
    return person(app)


def give_consent(app, spid: str, purpose: str) -> str:  # noqa: F811
    content = {
        "id": str(uuid.uuid4()),
        "individual_spid": spid,
        "purpose": purpose,
        "legal_basis": "consent",
        "opt_in": True,
        "collected_by": "portal:self-service",
        "collected_at": "2025-03-01T09:00:00+07:00",
    }
    with app.app_context():
        return registry(app).consents.create(content, actor=SETUP)["id"]


def test_an_officer_withdraws_a_consent_for_the_person(app, officer, villager):  # noqa: F811
    sharing = give_consent(app, villager["spid"], "data_sharing")
    assert open_record(officer, villager["spid"]).status_code == 302
    assert act_for(officer).location == "/me"
    path = f"/me/consents/{sharing}/withdraw"
    assert f'href="{path}"' in officer.get("/me").get_data(as_text=True)
    assert "Programmes can no longer receive your details" in text_of(officer.get(path))
    response = post(officer, path)
    assert response.status_code == 302 and response.location == "/me"

    with app.app_context():
        consent = registry(app).consents.read(sharing, actor=READER)
    assert consent["state"] == "withdrawn"
    change = consent["history"][-1]
    assert change["actor"] == ACTOR and change["on_behalf_of"] == villager["spid"]
    assert change.get("channel") == "officer"

    # the person, signed in on their own phone, sees it and who did it
    own = app.test_client()
    sign_in(own, app, phone=villager["phone_number"][0])
    page = text_of(own.get("/me"))
    assert "Share your details with other government services" in page
    assert "You took it back" in page
    body = own.get("/me/data-access").get_data(as_text=True)
    log = text_of(own.get("/me/data-access"))
    assert "The commune office of Tonle Basak changed your details" in log
    assert "Why: About your consent" in log
    assert OFFICER not in body
