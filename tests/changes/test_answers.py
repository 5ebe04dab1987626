"""Answers that are wrong, hostile or out of order: a translated error summary
and field errors, nothing typed lost, never a 500."""

from __future__ import annotations

import re

import pytest

from tests.changes.conftest import demo_person, post, text

SUMMARY = "មានបញ្ហា"  # "There is a problem"


def start(client, request_type: str) -> None:
    assert post(client, "/me/changes/new", {"request_type": request_type}).status_code == 302


def errors_of(response) -> list[str]:
    return re.findall(
        r'<p class="f-err"[^>]*><span class="vh">[^<]*</span> ([^<]*)</p>', text(response)
    )


def test_choosing_nothing_says_so(citizen):
    response = post(citizen, "/me/changes/new", {})
    assert response.status_code == 200
    assert SUMMARY in text(response)
    assert errors_of(response) == ["សូមជ្រើសរើសអ្វីដែលបានផ្លាស់ប្តូរ"]


def test_an_unknown_kind_of_change_is_refused(citizen):
    response = post(citizen, "/me/changes/new", {"request_type": "status"})
    assert SUMMARY in text(response)
    assert citizen.get("/me/changes/new/phone").location == "/me/changes/new"


def test_a_wrong_phone_number_keeps_what_was_typed(citizen):
    start(citizen, "phone_number")
    response = post(citizen, "/me/changes/new/phone", {"phone_number": "០១២ ៣៤"})
    page = text(response)
    assert SUMMARY in page and 'href="#phone_number"' in page
    assert 'value="០១២ ៣៤"' in page
    assert errors_of(response) == ["សូមបញ្ចូលលេខទូរសព្ទដៃនៅកម្ពុជា ដូចជា ០១២ ៣៤៥ ៦៧៨"]


def test_the_number_signed_in_with_is_not_a_new_number(citizen):
    start(citizen, "phone_number")
    response = post(citizen, "/me/changes/new/phone", {"phone_number": "012 000 045"})
    assert errors_of(response) == ["នេះជាលេខដែលអ្នកបានប្រើដើម្បីចូលគណនី។ សូមបញ្ចូលលេខថ្មីរបស់អ្នក។"]


def test_a_name_in_latin_letters_where_khmer_is_asked_keeps_both_names(citizen):
    start(citizen, "name")
    response = post(
        citizen,
        "/me/changes/new/name",
        {"surname": "Sok", "given_name": "ដារ៉ា", "latin_surname": "សុខ"},
    )
    page = text(response)
    assert 'value="Sok"' in page and 'value="ដារ៉ា"' in page and 'value="សុខ"' in page
    assert errors_of(response) == [
        "សូមសរសេរឈ្មោះជាអក្សរខ្មែរ",
        "សូមសរសេរឈ្មោះជាអក្សរឡាតាំង ដូចនៅលើអត្តសញ្ញាណប័ណ្ណ",
    ]


def test_a_baby_born_tomorrow_is_refused_and_the_date_kept(citizen):
    start(citizen, "household_birth")
    post(citizen, "/me/changes/new/baby-name", {"surname": "សុខ", "given_name": "ល័ក្ខ"})
    post(citizen, "/me/changes/new/baby-sex", {"sex": "male"})
    response = post(
        citizen,
        "/me/changes/new/baby-birth-date",
        {"birth_date-day": "1", "birth_date-month": "1", "birth_date-year": "២១០០"},
    )
    page = text(response)
    assert SUMMARY in page and 'value="២១០០"' in page
    assert 'href="#birth_date-day"' in page


def test_an_overlong_anything_else_is_refused_with_its_length_and_kept(citizen):
    start(citizen, "phone_number")
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    long_text = "ក" * 501
    response = post(citizen, "/me/changes/new/anything-else", {"justification": long_text})
    assert response.status_code == 200
    assert errors_of(response) == [
        "សូមសរសេរមិនឱ្យលើសពី ៥០០ តួអក្សរ (អ្នកបានសរសេរ ៥០១)។ អ្នកអាចប្រាប់ព័ត៌មានបន្ថែមនៅសាលាឃុំ-សង្កាត់។"
    ]
    assert long_text in text(response)


@pytest.mark.parametrize(
    ("request_type", "step", "data"),
    [
        ("name", "name", {"surname": "សុខ\x00", "given_name": "ដារ៉ា"}),
        ("disability", "card", {"card_number": "DC\x001"}),
        ("phone_number", "phone", {"phone_number": "012\x00345678"}),
        ("phone_number", "phone", {"phone_number": "9" * 5000}),
        ("disability", "card", {"card_number": "1" * 5000}),
        ("name", "name", {"surname": "ក" * 5000, "given_name": "ដារ៉ា"}),
        ("household_birth", "baby-name", {"surname": "សុខ", "given_name": "ក" * 61}),
    ],
)
def test_hostile_answers_are_form_errors(citizen, request_type, step, data):
    start(citizen, request_type)
    response = post(citizen, f"/me/changes/new/{step}", data)
    assert response.status_code == 200
    assert SUMMARY in text(response)


def test_nul_bytes_and_huge_numbers_in_the_date_are_form_errors(citizen):
    start(citizen, "household_birth")
    post(citizen, "/me/changes/new/baby-name", {"surname": "សុខ", "given_name": "ល័ក្ខ"})
    post(citizen, "/me/changes/new/baby-sex", {"sex": "male"})
    for parts in (
        {"day": "1\x00", "month": "2", "year": "2025"},
        {"day": "9" * 400, "month": "1", "year": "2025"},
    ):
        data = {f"birth_date-{name}": value for name, value in parts.items()}
        response = post(citizen, "/me/changes/new/baby-birth-date", data)
        assert response.status_code == 200 and SUMMARY in text(response)


def test_anything_else_with_a_nul_byte_is_a_form_error(citizen):
    start(citizen, "phone_number")
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    response = post(citizen, "/me/changes/new/anything-else", {"justification": "ok\x00"})
    assert errors_of(response) == ["សូមលុបតួអក្សរចម្លែកៗចេញពីអ្វីដែលអ្នកបានសរសេរ"]


def test_a_guessed_spid_or_the_head_is_refused_as_the_member(app, citizen):
    start(citizen, "death")
    head = demo_person(app)
    other_household = demo_person(app, 5, 1)
    for spid in (head["spid"], other_household["spid"], "00000000000", "1" * 5000):
        response = post(citizen, "/me/changes/new/member", {"member_spid": spid})
        assert response.status_code == 200, spid
        assert SUMMARY in text(response)


def test_a_sex_that_is_not_offered_is_refused(citizen):
    start(citizen, "household_birth")
    post(citizen, "/me/changes/new/baby-name", {"surname": "សុខ", "given_name": "ល័ក្ខ"})
    response = post(citizen, "/me/changes/new/baby-sex", {"sex": "other"})
    assert SUMMARY in text(response)


def test_a_village_outside_the_chosen_commune_is_refused(citizen):
    start(citizen, "address")
    post(citizen, "/me/changes/new/province", {"code": "17"})
    response = post(citizen, "/me/changes/new/district", {"code": "1201"})  # Phnom Penh's
    assert SUMMARY in text(response)


def test_questions_out_of_order_send_back_to_the_first_one_unanswered(citizen):
    start(citizen, "address")
    assert citizen.get("/me/changes/new/village").location == "/me/changes/new/province"
    assert citizen.get("/me/changes/new/check").location == "/me/changes/new/province"
    assert citizen.get("/me/changes/new/phone").status_code == 404  # another kind's question
    assert citizen.get("/me/changes/new/nothing-like-this").status_code == 404


def test_an_expired_token_shows_the_answer_again(citizen):
    start(citizen, "phone_number")
    response = citizen.post(
        "/me/changes/new/phone", data={"csrf_token": "expired", "phone_number": "097 888 777"}
    )
    assert response.status_code == 400
    assert 'value="097 888 777"' in text(response)


def test_a_json_body_is_not_read_as_answers(citizen):
    start(citizen, "phone_number")
    response = citizen.post("/me/changes/new/phone", json={"phone_number": ["x"] * 10})
    assert response.status_code == 400


def test_a_request_the_registry_refuses_at_once_says_which_answer_to_check(
    app, citizen, monkeypatch
):
    from portal.changes import services
    from portal.registry.client import RegistryValidationError

    def refuse(citizen, draft):
        field = "write.content.proposed_changes.phone_number.0"
        raise RegistryValidationError("no", status=422, errors=[{"field": field, "message": "x"}])

    start(citizen, "phone_number")
    post(citizen, "/me/changes/new/phone", {"phone_number": "097 888 777"})
    post(citizen, "/me/changes/new/anything-else", {})
    monkeypatch.setattr(services, "send", refuse)
    response = post(citizen, "/me/changes/new/check")
    assert response.status_code == 422
    page = text(response)
    assert "ប្រព័ន្ធចុះបញ្ជីមិនបានទទួលយកសំណើនេះទេ" in page
    assert '<a href="/me/changes/new/phone">សូមពិនិត្យ៖ លេខទូរសព្ទថ្មី</a>' in page
    assert citizen.get("/me/changes/new/check").status_code == 200  # the answers are kept
