"""/track: a case is found by its reference and the phone number or PIN it was
reported with (however the reference is typed); a wrong reference and a wrong
phone number or PIN get the same answer; a reference two cases share gives
each phone its own case; the page shows the team's public replies and never
their internal notes, assignments or escalations."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from portal.extensions import limiter
from portal.grievances import pin
from portal.grievances.references import reference_of
from portal.khmer import to_khmer_digits
from portal.registry_access import registry
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure
from tests.grievances.conftest import (
    HANDLER,
    in_language,
    make_case,
    move,
    page_text,
    post,
    token,
)
from tests.registry.factories import new_phone

PIN = "123456"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    with app.app_context():
        limiter.reset()


def e164(phone: str) -> str:
    return "+855" + phone.lstrip("0")


def new_ids(day: dt.date | None = None) -> tuple[str, str]:
    record_id = str(uuid.uuid4())
    return record_id, reference_of(record_id, day or dt.date.today())


def anonymous_case(app, code: str = PIN, **fields) -> dict:
    record_id, reference = new_ids()
    with app.test_request_context():
        hashed = pin.pin_hash(reference, code)
    complainant = {"anonymous": True, "language": "km", "pin_hash": hashed}
    return make_case(app, id=record_id, reference=reference, complainant=complainant, **fields)


def english(app):
    return in_language(app.test_client(), "en")


def act(client, path: str, data: dict):
    """POST to an action (its token is the session's, as on every page)."""
    return client.post(path, data={"csrf_token": token(client, "/track"), **data})


def track(client, reference: str, proof: str):
    return post(client, "/track", {"reference": reference, "proof": proof})


def test_the_form_asks_for_the_reference_and_the_phone_or_pin(app):
    page = page_text(english(app).get("/track?lang=en"))
    assert "Reference number" in page
    assert "6-digit PIN" in page


def test_found_by_reference_and_phone(app):
    phone = new_phone()
    case = make_case(app, phone=phone, description="No money came in March.")
    client = english(app)
    response = track(client, case["reference"], phone)
    assert response.status_code == 302
    assert response.location == "/track/case"  # no reference or phone in the address
    page = page_text(client.get("/track/case?lang=en"))
    digits = case["reference"][-6:]
    assert f"{digits[:3]} {digits[3:]}" in page  # grouped for reading aloud
    assert "Payment not received, or the wrong amount" in page
    assert "Received" in page
    assert "No money came in March." in page


@pytest.mark.parametrize(
    "typed",
    [
        lambda ref: ref.lower(),
        lambda ref: ref.replace("-", " "),
        lambda ref: to_khmer_digits(ref),
        lambda ref: f"  {ref[:10]} {ref[10:]} ",
    ],
)
def test_the_reference_may_be_typed_loosely(app, typed):
    phone = new_phone()
    case = make_case(app, phone=phone)
    khmer_phone = to_khmer_digits(phone)
    assert track(english(app), typed(case["reference"]), khmer_phone).status_code == 302


def test_found_by_reference_and_pin(app):
    case = anonymous_case(app, description="Asked for money at the office.")
    client = english(app)
    assert track(client, case["reference"], "123 456").status_code == 302
    assert "Asked for money at the office." in page_text(client.get("/track/case"))


def test_a_wrong_pin_finds_nothing(app):
    case = anonymous_case(app)
    response = track(english(app), case["reference"], "654321")
    assert response.status_code == 200
    assert "We found no complaint" in page_text(response)


def test_a_wrong_reference_and_a_wrong_phone_get_the_same_answer(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    _id, unknown = new_ids()
    client = english(app)
    wrong_reference = track(client, unknown, phone)
    wrong_phone = track(client, case["reference"], new_phone())
    wrong_pin = track(client, case["reference"], "000000")
    assert wrong_reference.status_code == wrong_phone.status_code == wrong_pin.status_code == 200
    assert page_text(wrong_reference) == page_text(wrong_phone) == page_text(wrong_pin)
    with client.session_transaction() as session:
        assert "tracked_grievance" not in session


def test_two_cases_sharing_a_reference_each_phone_gets_its_own(app):
    first_id, reference = new_ids()
    second_id = str(uuid.uuid4())
    first_phone, second_phone = new_phone(), new_phone()
    make_case(app, id=first_id, reference=reference, phone=first_phone, description="Story one.")
    make_case(app, id=second_id, reference=reference, phone=second_phone, description="Story two.")
    for phone, mine, theirs in (
        (first_phone, "Story one.", "Story two."),
        (second_phone, "Story two.", "Story one."),
    ):
        client = english(app)
        assert track(client, reference, phone).status_code == 302
        page = page_text(client.get("/track/case"))
        assert mine in page and theirs not in page


def test_the_case_page_without_a_tracked_case_goes_back_to_the_form(app):
    client = english(app)
    assert client.get("/track/case").location == "/track"
    assert client.post("/track/case/information").status_code in (302, 400)


def test_public_replies_show_and_internal_notes_never(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    with app.app_context():
        grievances = registry(app).grievances
        grievances.add_event(case["id"], "internal_note", "SECRET handler note", actor=HANDLER)
        grievances.add_event(case["id"], "public_reply", "We are checking the list.", actor=HANDLER)
    move(app, case, "investigating", note="SECRET note on the status change")
    move(app, case, "resolved", decision_code="upheld", assignee="handler.one")
    with app.app_context():
        registry(app).grievances.add_event(
            case["id"], "public_reply", "You will be paid next month.", actor=HANDLER
        )
    client = english(app)
    track(client, case["reference"], phone)
    page = page_text(client.get("/track/case?lang=en"))
    assert "We are checking the list." in page
    assert "You will be paid next month." in page
    assert "You were right: it will be put right" in page
    assert "SECRET" not in page
    assert "handler.one" not in page


def test_an_appealed_case_shows_its_appeal(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    move(app, case, "resolved", decision_code="not_upheld")
    move(app, case, "appealed")
    appeal_id, appeal_reference = new_ids()
    make_case(
        app,
        id=appeal_id,
        reference=appeal_reference,
        phone=phone,
        appeal_of=case["id"],
        confidential=True,
    )
    client = english(app)
    track(client, case["reference"], phone)
    page = page_text(client.get("/track/case?lang=en"))
    assert "Your appeal" in page
    assert appeal_reference[-3:] in page
    track(client, appeal_reference, phone)
    page = page_text(client.get("/track/case?lang=en"))
    assert "This is your appeal against the decision" in page


def test_the_pages_are_light_and_in_khmer_first(app):
    phone = new_phone()
    case = make_case(app, phone=phone)
    move(app, case, "resolved", decision_code="upheld")
    client = app.test_client()  # Khmer: the portal's first language
    assert track(client, case["reference"], phone).status_code == 302
    for path in ("/track", "/track/case", "/track/case/appeal"):
        weight = measure(client, path)
        assert weight.total <= FIRST_ROUND_TRIP_BYTES, (path, weight)
    page = page_text(client.get("/track/case"))
    assert "បណ្តឹងរបស់អ្នក" in page
    assert "Your complaint" not in page
