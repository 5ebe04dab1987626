"""A refused application is contested from its page: the report starts with
the subject and the programme known, and the case names the application. Only
one's own refused application can be contested this way."""

from __future__ import annotations

import uuid

from portal.registry.client import Actor
from portal.registry_access import registry
from tests.applications.conftest import make_applicant, verified_card
from tests.grievances.conftest import READER, page_text, post, signed_in, text
from tests.grievances.test_report import WHERE, reference_on, send

OFFICER = Actor(actor="programme_officer:test", purpose="decide an application", on_behalf_of=None)


def refused_application(app, applicant: dict) -> dict:
    record_id = str(uuid.uuid4())
    with app.app_context():
        client = registry(app)
        created = client.applications.create(
            {
                "id": record_id,
                "programme_id": "elderly_allowance",
                "applicant_spid": applicant["person"]["spid"],
                "channel": "web",
            },
            actor=OFFICER,
        )
        for status in ("received", "documents_checked", "refused"):
            created = client.applications.update(
                record_id, {"status": status}, actor=OFFICER, reason="not_eligible"
            )
    return created


def test_a_refused_application_is_contested_from_its_page(app):
    applicant = make_applicant(app, birth_date="1950-02-01", card=verified_card())
    application = refused_application(app, applicant)
    client = signed_in(app, applicant["phone"])
    page = client.get(f"/applications/{application['reference']}")
    link = f"/grievances/new?application={application['reference']}"
    assert link in text(page)

    start = client.get(link)
    assert start.status_code == 200
    # The subject and the programme are known: the next question is what happened.
    assert 'href="/grievances/new/what-happened"' in text(start)
    steps = [("/grievances/new/what-happened", {"description": "I am 76 and was refused."})]
    steps += [(f"/grievances/new/where/{level}", {"code": code}) for level, code in WHERE.items()]
    steps.append(("/grievances/new/contact", {"contact": "mine"}))
    for path, data in steps:
        assert post(client, path, data).status_code == 302, path
    reference = reference_on(send(client))
    with app.app_context():
        (case,) = registry(app).grievances.list(actor=READER, reference=reference).results
    assert case["category"] == "eligibility"
    assert case["programme_id"] == "elderly_allowance"
    assert case["application_id"] == application["id"]


def test_another_persons_application_is_not_contested_through_mine(app):
    owner = make_applicant(app, birth_date="1950-02-01", card=verified_card())
    application = refused_application(app, owner)
    someone = make_applicant(app, birth_date="1951-03-01", card=verified_card())
    client = signed_in(app, someone["phone"])
    start = client.get(f"/grievances/new?application={application['reference']}")
    assert start.status_code == 200
    assert 'href="/grievances/new/category"' in text(start)
    assert "elderly" not in page_text(start).lower()
    # Not signed in: nothing is taken from the address either.
    anonymous = app.test_client().get(f"/grievances/new?application={application['reference']}")
    assert 'href="/grievances/new/category"' in text(anonymous)
