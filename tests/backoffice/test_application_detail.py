"""/backoffice/applications/<id>: everything an officer needs to decide, an
entry in the applicant's access log, and "not found" outside one's scope."""

from __future__ import annotations

import uuid

from portal.applications.offer import programme_ids
from portal.khmer import readable_reference
from portal.registry_access import registry
from tests.backoffice.conftest import (
    OTHER_PROGRAMME,
    OTHER_VILLAGE,
    PROGRAMME,
    SETUP,
    applicant,
    application,
    detail_path,
    page,
    staff_client,
)
from tests.support.demo_data import load_demo_population


def test_the_page_shows_the_applicant_the_card_the_eligibility_and_the_history(
    app, programme_officer
):
    person = applicant(app, phone_number=["012345678"])
    record = application(app, person, PROGRAMME, state="information_requested")
    response = programme_officer.get(detail_path(record))
    assert response.status_code == 200
    text = page(response)
    assert f"Application {readable_reference(record['reference'])}" in text  # grouped to read
    assert "ចាន់ សុខា (Chan Sokha)" in text
    spid = person["spid"]
    assert f"{spid[:3]} {spid[3:6]} {spid[6:9]} {spid[9:]}" in text
    assert "13 April 1985" in text and "Female" in text
    assert "Phum Muoy, Tonle Basak, Chamkar Mon, Phnom Penh" in text
    assert "ending in 678" in text  # only the last digits
    assert "12345678" not in text and "12 345" not in text
    assert "31 December 2027" in text  # the Equity Card's expiry
    assert "Probably eligible" in text and "You are pregnant." in text
    assert "Expected delivery date" in text and "15 January 2027" in text
    assert "National ID card" in text  # documents to bring, from the rule file
    assert "We need more information" in text  # the history, in words
    assert "Reason: test" in text and "Note: step" in text


def test_opening_an_application_is_in_the_applicants_access_log(app, programme_officer):
    person = applicant(app)
    record = application(app, person, PROGRAMME)
    assert programme_officer.get(detail_path(record)).status_code == 200
    with app.app_context():
        log = registry(app).persons.access_log(person["id"], actor=SETUP)
    reviews = [entry for entry in log.entries if entry.purpose == "application review"]
    assert reviews
    assert {entry.actor for entry in reviews} == {"programme_officer:prog.dara"}
    assert {entry.action for entry in reviews} >= {"read"}


def test_another_programmes_application_is_not_found(app, programme_officer):
    other = application(app, applicant(app), OTHER_PROGRAMME)
    assert programme_officer.get(detail_path(other)).status_code == 404
    missing = {"id": str(uuid.uuid4())}
    assert programme_officer.get(detail_path(missing)).status_code == 404


def test_another_communes_application_is_not_found(app, commune_officer):
    far = application(app, applicant(app, village=OTHER_VILLAGE), PROGRAMME)
    assert commune_officer.get(detail_path(far)).status_code == 404
    here = application(app, applicant(app), PROGRAMME)
    assert commune_officer.get(detail_path(here)).status_code == 200


def test_a_commune_officer_is_offered_only_received_and_documents_checked(app, commune_officer):
    record = application(app, applicant(app), PROGRAMME)
    text = page(commune_officer.get(detail_path(record)))
    assert "Mark as received" in text and "Documents are checked" in text
    for decision in ("Ask the applicant", "Approve the application", "Refuse the application"):
        assert decision not in text
    checked = application(app, applicant(app), PROGRAMME, state="documents_checked")
    assert "What you can do now" not in page(commune_officer.get(detail_path(checked)))


def test_a_programme_officer_is_offered_what_the_state_allows(app, programme_officer):
    checked = application(app, applicant(app), PROGRAMME, state="documents_checked")
    text = page(programme_officer.get(detail_path(checked)))
    assert "Approve the application" in text and "Refuse the application" in text
    assert "Ask the applicant" in text and "Mark as received" not in text
    assert "Record the payment" not in text
    approved = application(app, applicant(app), PROGRAMME, state="approved")
    text = page(programme_officer.get(detail_path(approved)))
    assert "Record the payment" in text and "Approve the application" not in text
    refused = application(app, applicant(app), PROGRAMME, state="refused")
    assert "What you can do now" not in page(programme_officer.get(detail_path(refused)))


def test_an_applicant_without_household_or_eligibility(app, programme_officer):
    person = applicant(app, with_household=False)
    record = application(app, person, PROGRAMME)
    with app.app_context():
        record = registry(app).applications.update(
            record["id"], {"eligibility": None, "answers": {}}, actor=SETUP
        )
    text = page(programme_officer.get(detail_path(record)))
    assert "The applicant is in no household in the registry." in text
    assert "The portal did not work out eligibility for this application." in text


def test_the_page_in_khmer(app, programme_officer):
    record = application(app, applicant(app), PROGRAMME)
    response = programme_officer.get(detail_path(record) + "?lang=km")
    assert response.status_code == 200
    assert "AP-២" in page(response)


def test_every_demo_application_opens(app):
    """The demo data's applications (every state, payments, Khmer notes) list and open."""
    load_demo_population(app)
    officer = staff_client(app, "prog.all", "programme_officer", programmes=programme_ids())
    listed = page(officer.get("/backoffice/applications"))
    ids = [part.split('"')[0] for part in listed.split('href="/backoffice/applications/')[1:]]
    ids = [found for found in ids if found and "/" not in found and "?" not in found]
    assert ids
    shown = []
    for application_id in ids:
        for language in ("en", "km"):
            response = officer.get(f"/backoffice/applications/{application_id}?lang={language}")
            assert response.status_code == 200, application_id
            shown.append(page(response))
    assert any("Payments recorded" in text and " riel" in text for text in shown)


def test_the_history_shows_what_the_applicant_answered(app, programme_officer):
    record = application(app, applicant(app), PROGRAMME, state="information_requested")
    with app.app_context():
        registry(app).applications.add_event(
            record["id"], "information_given", "កូនកើតថ្ងៃទី ៣", actor=SETUP
        )
    text = page(programme_officer.get(detail_path(record)))
    history = text.split("<h2>History</h2>", 1)[1].split("<h2>", 1)[0]
    assert history.index("We need more information") < history.index(
        "The applicant gave information"
    )
    assert "Note: កូនកើតថ្ងៃទី ៣" in history
