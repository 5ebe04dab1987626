"""Asking for each kind of change, over HTTP as the demo citizen: the right
change request reaches the registry, through the outbox, with a receipt."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import gazetteer
from tests.changes.conftest import (
    ask_for,
    change_requests_of,
    demo_person,
    post,
    text,
    token,
)

SIEM_REAP = "17"


def new_village() -> list[str]:
    """Province, district, commune and village codes far from household 0 (Phnom Penh)."""
    district = gazetteer.districts(SIEM_REAP)[0].code
    commune = gazetteer.communes(district)[0].code
    village = gazetteer.villages(commune)[1].code
    return [SIEM_REAP, district, commune, village]


def place_answers() -> list[tuple[str, dict]]:
    levels = ("province", "district", "commune", "village")
    return [(level, {"code": code}) for level, code in zip(levels, new_village(), strict=True)]


def a_month_ago() -> dt.date:
    return dt.date.today() - dt.timedelta(days=30)


def spouse(app) -> dict:
    return demo_person(app, 0, 1)


def sent_request(app, request_type: str) -> dict:
    head = demo_person(app)
    found = [c for c in change_requests_of(app, head["spid"]) if c["request_type"] == request_type]
    assert found, f"no {request_type} request in the registry"
    return found[0]


def test_moved_house_asks_one_place_a_page_and_sends_the_new_village(app, citizen):
    response = ask_for(citizen, "address", place_answers(), justification="ផ្ទះថ្មីនៅសៀមរាប")
    assert response.location == "/me/changes/sent"
    change = sent_request(app, "address")
    assert change["proposed_changes"] == {"address": {"village_code": new_village()[3]}}
    assert change["justification"] == "ផ្ទះថ្មីនៅសៀមរាប"
    assert change["status"] == "submitted"
    page = text(citizen.get("/me/changes/sent"))
    assert "CR-២០" in page  # the reference, in Khmer digits
    assert "លិខិតពីមេភូមិ" in page  # a letter from the village chief


def test_new_phone_number_accepts_khmer_digits_and_sends_it_in_e164(app, citizen):
    ask_for(citizen, "phone_number", [("phone", {"phone_number": "០៩៧ ៨៨៨ ៧៧៧"})])
    change = sent_request(app, "phone_number")
    assert change["proposed_changes"] == {"phone_number": ["+85597888777"]}
    assert "justification" not in change or not change["justification"]


def test_name_correction_sends_the_khmer_name_and_the_latin_one_when_given(app, citizen):
    answers = {
        "surname": " សុខ ",
        "given_name": "ដារ៉ា",
        "latin_surname": "SOK",
        "latin_given_name": "DARA",
    }
    ask_for(citizen, "name", [("name", answers)])
    change = sent_request(app, "name")
    assert change["proposed_changes"] == {
        "name_km": {"surname": "សុខ", "given_name": "ដារ៉ា"},
        "name": {"surname": "SOK", "given_name": "DARA"},
    }


def test_name_correction_without_the_latin_name(app, citizen):
    ask_for(citizen, "name", [("name", {"surname": "សុខ", "given_name": "ដារ៉ា"})])
    assert sent_request(app, "name")["proposed_changes"] == {
        "name_km": {"surname": "សុខ", "given_name": "ដារ៉ា"}
    }


def test_a_birth_sends_the_babys_details_and_relationship(app, citizen):
    born = a_month_ago()
    answers = [
        ("baby-name", {"surname": "សុខ", "given_name": "ស្រីល័ក្ខ"}),
        ("baby-sex", {"sex": "female"}),
        (
            "baby-birth-date",
            {
                "birth_date-day": str(born.day),
                "birth_date-month": str(born.month),
                "birth_date-year": str(born.year),
            },
        ),
        ("baby-relationship", {"household_status": "child"}),
    ]
    response = ask_for(citizen, "household_birth", answers)
    assert response.location == "/me/changes/sent", text(response)
    change = sent_request(app, "household_birth")
    assert change["proposed_changes"] == {
        "name_km": {"surname": "សុខ", "given_name": "ស្រីល័ក្ខ"},
        "sex": "female",
        "birth_date": born.isoformat(),
    }
    assert change["household_status"] == "child"


@pytest.mark.parametrize("request_type", ["household_member_left", "death"])
def test_someone_left_or_died_names_a_member_of_the_household(app, citizen, request_type):
    member = spouse(app)
    page = text(
        post(citizen, "/me/changes/new", {"request_type": request_type}, follow_redirects=True)
    )
    assert member["name_km"]["given_name"] in page
    assert demo_person(app)["spid"] not in page  # never the head (the citizen here)
    response = ask_for(citizen, request_type, [("member", {"member_spid": member["spid"]})])
    assert response.location == "/me/changes/sent", text(response)
    change = sent_request(app, request_type)
    assert change["member_spid"] == member["spid"]
    assert not change.get("proposed_changes")


def test_a_disability_card_sends_the_card_number(app, citizen):
    ask_for(citizen, "disability", [("card", {"card_number": "DC-០១២៣៤"})])
    assert sent_request(app, "disability")["proposed_changes"] == {
        "is_disabled": True,
        "disability_card": {"card_number": "DC-01234"},
    }


def test_the_citizen_gets_a_text_message_receipt_with_the_reference(app, citizen):
    ask_for(citizen, "phone_number", [("phone", {"phone_number": "097 888 777"})])
    messages = app.extensions["sms_gateway"].messages()
    receipt = [m for m in messages if "CR-" in m.text]
    assert len(receipt) == 1
    assert receipt[0].to == "+85512000045"


def test_the_check_page_lists_the_answers_with_change_links_and_documents(app, citizen):
    post(citizen, "/me/changes/new", {"request_type": "address"})
    for step, data in place_answers():
        post(citizen, f"/me/changes/new/{step}", data)
    post(citizen, "/me/changes/new/anything-else", {"justification": ""})
    page = text(citizen.get("/me/changes/new/check"))
    village = gazetteer.village(new_village()[3])
    assert village.name_km in page
    assert 'href="/me/changes/new/province"' in page
    assert 'href="/me/changes/new/anything-else"' in page
    assert "លិខិតពីមេភូមិ" in page
    # household 0's head moves with the whole household
    assert "គ្រួសារ" in page


def test_changing_the_province_forgets_the_district_below_it(app, citizen):
    post(citizen, "/me/changes/new", {"request_type": "address"})
    for step, data in place_answers():
        post(citizen, f"/me/changes/new/{step}", data)
    response = post(citizen, "/me/changes/new/province", {"code": "12"})
    assert response.location == "/me/changes/new/district"
    assert citizen.get("/me/changes/new/village").location == "/me/changes/new/district"


def test_an_answer_is_shown_again_when_the_question_is_asked_again(app, citizen):
    post(citizen, "/me/changes/new", {"request_type": "phone_number"})
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    page = text(citizen.get("/me/changes/new/phone"))
    assert 'value="០៩៧ ៨៨៨ ៧៧៧"' in page
    assert 'href="/me/changes/new"' in page  # back to the first page


def test_sending_clears_the_draft_and_a_second_send_changes_nothing(app, citizen):
    ask_for(citizen, "phone_number", [("phone", {"phone_number": "097 888 777"})])
    assert citizen.get("/me/changes/new/check").location == "/me/changes/new"
    assert citizen.get("/me/changes/new/phone").location == "/me/changes/new"
    head = demo_person(app)
    assert (
        len(
            [
                c
                for c in change_requests_of(app, head["spid"])
                if c["request_type"] == "phone_number"
            ]
        )
        == 2
    )


def test_a_second_tap_on_send_shows_the_first_ones_confirmation(app, citizen):
    post(citizen, "/me/changes/new", {"request_type": "phone_number"})
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    post(citizen, "/me/changes/new/anything-else", {})
    page = "/me/changes/new/check"
    data = {"csrf_token": token(citizen, page)}
    assert citizen.post(page, data=data).location == "/me/changes/sent"
    assert citizen.post(page, data=data).location == "/me/changes/sent"
    head = demo_person(app)
    sent = [c for c in change_requests_of(app, head["spid"]) if c["request_type"] == "phone_number"]
    assert len(sent) == 2  # the demo one and this one, once


def test_someone_who_left_the_household_since_the_question_is_asked_again(
    app, citizen, monkeypatch
):
    from portal.changes import services

    member = spouse(app)
    post(citizen, "/me/changes/new", {"request_type": "household_member_left"})
    post(citizen, "/me/changes/new/member", {"member_spid": member["spid"]})
    post(citizen, "/me/changes/new/anything-else", {})
    monkeypatch.setattr(services, "still_a_member", lambda citizen, spid: False)
    response = post(citizen, "/me/changes/new/check")
    assert response.location == "/me/changes/new/member"
    assert "លែងនៅក្នុងគ្រួសារ" in text(citizen.get(response.location))
