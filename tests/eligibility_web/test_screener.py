"""The screener through HTTP: one question a page, only the questions that matter,
check your answers, results grouped and explained."""

import datetime as dt
import re

from tests.eligibility_web.conftest import ScreenerWalk


def years_ago(years: int) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def test_start_page_needs_no_sign_in_and_leads_to_the_first_question(client):
    response = client.get("/eligibility")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="/eligibility/next"' in body
    assert client.get("/eligibility/next").location == "/eligibility/q/birth-date"


def test_a_man_is_not_asked_about_pregnancy_or_babies(walk):
    born = years_ago(40)
    walk.date("birth-date", born.day, born.month, born.year)
    walk.answer("sex", answer="male")
    walk.unknown_until_done()
    assert "pregnant" not in walk.asked
    assert "child-under-2" not in walk.asked
    assert "child-birth-date" not in walk.asked


def test_an_adult_is_not_asked_about_school_but_a_pupil_is(client):
    adult = ScreenerWalk(client)
    born = years_ago(40)
    adult.date("birth-date", born.day, born.month, born.year)
    adult.unknown_until_done()
    assert "school" not in adult.asked and "school-days" not in adult.asked

    client.post("/eligibility/restart", data={"csrf_token": adult.token("/eligibility")})
    pupil = ScreenerWalk(client)
    born = years_ago(14)
    pupil.date("birth-date", born.day, born.month, born.year)
    pupil.answer("sex", answer="male")
    pupil.answer("equity-card", answer="2")
    pupil.date("equity-card-end", "30", "6", str(dt.date.today().year + 2))
    pupil.unknown_until_done()
    assert "school" in pupil.asked


def test_a_household_without_equity_card_is_not_asked_its_end_date(walk):
    walk.date("birth-date", "1", "1", "1980")
    walk.answer("sex", answer="female")
    walk.answer("equity-card", answer="none")
    walk.unknown_until_done()
    assert "equity-card-end" not in walk.asked


def test_a_missing_answer_shows_an_error_summary_and_keeps_the_page(walk, client):
    response = walk.answer("birth-date", answer_day="", answer_month="", answer_year="")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert '<a href="#answer-day">Enter the date</a>' in body


def test_a_number_out_of_range_is_refused_with_the_range(client):
    walk = ScreenerWalk(client)
    walk.date("birth-date", "1", "1", str(dt.date.today().year - 14))
    walk.answer("sex", answer="female")
    walk.answer("equity-card", answer="1")
    walk.date("equity-card-end", "1", "1", str(dt.date.today().year + 1))
    walk.answer("work", answer="none")
    walk.answer("pregnant", answer="no")
    walk.answer("child-in-household", answer="no")
    walk.answer("disability-card", answer="none")
    walk.answer("hiv", answer="no")
    walk.answer("household-hiv", answer="no")
    walk.answer("school", answer="8")
    response = walk.answer("school-days", answer="11")
    assert "Enter a number from 0 to 10" in response.get_data(as_text=True)
    assert 'value="11"' in response.get_data(as_text=True)


def test_khmer_digits_are_accepted(client):
    walk = ScreenerWalk(client, lang="km")
    walk.date("birth-date", "១៤", "៣", "១៩៩០")
    check = client.get("/eligibility/check").get_data(as_text=True)
    assert "១៤ មីនា ១៩៩០" in check


def full_walk_for_a_poor_pregnant_woman(walk):
    walk.date("birth-date", "1", "5", "1995")
    walk.answer("sex", answer="female")
    walk.answer("equity-card", answer="1")
    walk.date("equity-card-end", "30", "6", str(dt.date.today().year + 2))
    walk.answer("work", action="unknown")
    walk.answer("pregnant", answer="yes")
    walk.unknown_until_done()


def test_check_answers_lists_each_answer_with_a_change_link(walk, client):
    full_walk_for_a_poor_pregnant_woman(walk)
    body = client.get("/eligibility/check").get_data(as_text=True)
    assert "1 May 1995" in body
    assert "Yes, Level 1" in body
    assert 'href="/eligibility/q/pregnant"' in body
    assert "I do not know" in body
    assert 'href="/eligibility/results"' in body


def test_results_are_grouped_and_explained(walk, client):
    full_walk_for_a_poor_pregnant_woman(walk)
    body = client.get("/eligibility/results").get_data(as_text=True)
    likely = body.split("You may get: an officer will check")[1].split("<h2>")[0]
    # self-declared IDPoor: an officer will check
    assert "Health Equity Fund" in likely
    assert "Cash for pregnant women and children under 2" in likely
    assert "80,000 riel" in likely
    assert "An officer will check your IDPoor level" in body
    not_now = body.split("Not now, and why")[1]
    assert "COVID-19" in not_now and "has ended" in not_now
    assert "What to do next" in body


def test_results_in_khmer_use_khmer_digits_and_riel(client):
    walk = ScreenerWalk(client, lang="km")
    full_walk_for_a_poor_pregnant_woman(walk)
    body = client.get("/eligibility/results").get_data(as_text=True)
    assert "៨០,០០០៛" in body
    assert "៤០០,០០០៛" in body
    assert not re.search(r"[0-9],[0-9]{3}", body.split("<main")[1])  # no Latin-digit amounts


def test_changing_an_answer_asks_what_became_relevant(walk, client):
    walk.date("birth-date", "1", "5", "1995")
    walk.answer("sex", answer="male")
    walk.unknown_until_done()
    path = "/eligibility/q/sex"
    response = client.post(path, data={"csrf_token": walk.token(path), "answer": "female"})
    assert response.location == "/eligibility/q/pregnant"


def test_printable_summary_has_no_personal_data_in_its_address(walk, client):
    full_walk_for_a_poor_pregnant_woman(walk)
    results = client.get("/eligibility/results").get_data(as_text=True)
    link = re.search(r'href="(/eligibility/summary[^"]*)"', results).group(1)
    assert link == "/eligibility/summary"
    summary = client.get(link).get_data(as_text=True)
    assert "Summary of your check" in summary and "1 May 1995" in summary


def test_start_again_clears_the_answers(walk, client):
    full_walk_for_a_poor_pregnant_woman(walk)
    client.post("/eligibility/restart", data={"csrf_token": walk.token("/eligibility")})
    assert client.get("/eligibility/check").location == "/eligibility"
    assert client.get("/eligibility/next").location == "/eligibility/q/birth-date"


def test_unknown_question_is_404(client):
    assert client.get("/eligibility/q/favourite-colour").status_code == 404
