"""What a person types into the screener: bounds on every number and date,
messages in the page's language and digits, and a refused token changes nothing."""

import datetime as dt
import re

import pytest

from tests.eligibility_web.conftest import TOKEN, ScreenerWalk


def post(client, slug: str, lang: str = "en", **fields):
    path = f"/eligibility/q/{slug}"
    token = TOKEN.search(client.get(f"{path}?lang={lang}").get_data(as_text=True)).group(1)
    data = {"csrf_token": token, **{name.replace("_", "-"): v for name, v in fields.items()}}
    return client.post(path, data=data)


def post_date(client, slug: str, day: str, month: str, year: str, lang: str = "en"):
    return post(client, slug, lang, answer_day=day, answer_month=month, answer_year=year)


def next_path(client) -> str:
    return client.get("/eligibility/next").location


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1" * 20, "1", "1990", "Enter the day as a number from 1 to 31"),
        ("32", "1", "1990", "Enter the day as a number from 1 to 31"),
        ("1", "9" * 5000, "1990", "Enter the month as a number from 1 to 12"),
        ("1", "13", "1990", "Enter the month as a number from 1 to 12"),
        ("1", "1", "61", "Enter the year with 4 digits, for example 1990"),
        ("1", "1", "9" * 5000, "Enter the year with 4 digits, for example 1990"),
        ("1", "1", "1899", f"Enter a year from 1900 to {dt.date.today().year}"),
        ("1", "1", str(dt.date.today().year + 1), f"to {dt.date.today().year}"),
        ("x", "1", "1990", "Enter the day as a number from 1 to 31"),
    ],
)
def test_a_birth_date_out_of_bounds_is_refused_keeping_what_was_typed(
    client, day, month, year, message
):
    response = post_date(client, "birth-date", day, month, year)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert message in body
    for part, typed in (("day", day), ("month", month), ("year", year)):
        assert f'name="answer-{part}" inputmode="numeric" value="{typed}"' in body
    assert next_path(client) == "/eligibility/q/birth-date"  # nothing recorded


def test_a_birth_date_after_today_is_refused(client):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    if tomorrow.year > dt.date.today().year:
        pytest.skip("on 31 December tomorrow is next year: the year bounds refuse it")
    day, month, year = str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)
    response = post_date(client, "birth-date", day, month, year)
    assert "The date cannot be after today" in response.get_data(as_text=True)


def test_a_child_birth_date_is_in_the_past_too(client):
    year = str(dt.date.today().year + 1)
    response = post_date(client, "child-birth-date", "1", "1", year)
    assert f"Enter a year from 1900 to {dt.date.today().year}" in response.get_data(as_text=True)


def test_an_equity_card_may_end_in_a_future_year(client):
    year = str(dt.date.today().year + 3)
    assert post_date(client, "equity-card-end", "30", "6", year).status_code == 302


def test_a_birth_date_within_bounds_is_kept(client):
    assert post_date(client, "birth-date", "01", "05", "1961").status_code == 302
    check = client.get("/eligibility/check?lang=en").get_data(as_text=True)
    assert "1 May 1961" in check


@pytest.mark.parametrize("typed", ["9" * 5000, "1" * 20, "-1", "1.5", "11", "٣"])
def test_a_number_out_of_bounds_is_refused_keeping_what_was_typed(client, typed):
    response = post(client, "school-days", answer=typed)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a number from 0 to 10" in body
    assert f'value="{typed}"' in body


def test_number_bounds_are_said_in_khmer_digits_on_khmer_pages(client):
    body = post(client, "pension-months", lang="km", answer="5000").get_data(as_text=True)
    message = re.search(r'<p class="f-err"[^>]*>(.*?)</p>', body, re.S).group(1)
    assert "សូមបញ្ចូលលេខពី ០ ដល់ ១,២០០" in message
    assert not re.search(r"[0-9]", message)


def test_date_messages_are_in_khmer_digits_on_khmer_pages(client):
    body = post_date(client, "birth-date", "40", "1", "61", lang="km").get_data(as_text=True)
    messages = re.findall(r'<p class="f-err"[^>]*>(.*?)</p>', body, re.S)
    assert len(messages) == 2
    assert "៣១" in messages[0] and "១៩៩០" in messages[1]
    assert not any(re.search(r"[0-9]", message) for message in messages)


def test_the_school_grades_are_listed_in_khmer_digits(client):
    body = client.get("/eligibility/q/school?lang=km").get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', body)
    assert options[0] == ("1", "១") and options[-1] == ("12", "១២")


# --- "I do not know" with a refused security token --------------------------------------------


def foreign_token(app) -> str:
    other = app.test_client()
    body = other.get("/eligibility/q/birth-date").get_data(as_text=True)
    return TOKEN.search(body).group(1)


@pytest.mark.parametrize("token", ["none", "forged", "foreign"])
def test_i_do_not_know_with_a_refused_token_records_nothing(app, client, token):
    client.get("/eligibility?lang=en")
    data = {"action": "unknown"}
    if token == "forged":
        data["csrf_token"] = "expired-or-forged"
    elif token == "foreign":
        data["csrf_token"] = foreign_token(app)
    response = client.post("/eligibility/q/birth-date", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "for your safety it was not sent" in body
    assert next_path(client) == "/eligibility/q/birth-date"
    assert client.get("/eligibility/check").location == "/eligibility"  # nothing started
    # the page carries a fresh token: "I do not know" then works
    fresh = TOKEN.search(body).group(1)
    again = client.post(
        "/eligibility/q/birth-date", data={"action": "unknown", "csrf_token": fresh}
    )
    assert again.status_code == 302
    assert next_path(client) == "/eligibility/q/sex"


def test_an_answer_with_a_refused_token_records_nothing(client):
    walk = ScreenerWalk(client)
    walk.date("birth-date", "1", "1", "1980")
    response = client.post(
        "/eligibility/q/sex", data={"csrf_token": "expired-or-forged", "answer": "female"}
    )
    assert response.status_code == 400
    assert 'value="female" checked' in response.get_data(as_text=True)
    assert next_path(client) == "/eligibility/q/sex"


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, '"text"', "[1, 2]"])
def test_a_json_body_to_a_question_is_refused_not_a_crash(client, body):
    response = client.post("/eligibility/q/sex", data=body, content_type="application/json")
    assert response.status_code == 400
