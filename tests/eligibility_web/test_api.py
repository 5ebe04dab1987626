"""POST /api/eligibility: the engine's JSON twin (PROGRAMMES.md)."""

from portal.eligibility import programme_ids

FACTS = {
    "person": {"birth_date": "1950-01-01", "sex": "female"},
    "household": {"idpoor_level": 1, "idpoor_verified": True, "equity_card_expiry": "2030-01-01"},
}


def test_returns_one_result_per_programme_in_order(client):
    response = client.post("/api/eligibility", json={"facts": FACTS, "as_of": "2026-01-15"})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["programme"] for r in results] == programme_ids()
    by_id = {r["programme"]: r for r in results}
    assert by_id["elderly_allowance"]["status"] == "eligible"
    assert by_id["elderly_allowance"]["amount_riel"] is None  # unverified: no figure
    assert by_id["covid19_cash"]["status"] == "ended"


def test_needs_no_csrf_token_but_only_json(client):
    response = client.post("/api/eligibility", data="facts=1")
    assert response.status_code == 400
    assert "errors" in response.json


def test_bad_input_gives_field_errors(client):
    response = client.post(
        "/api/eligibility",
        json={
            "facts": {"person": {"birth_date": "1990-02-31", "employment": "astronaut"}},
            "as_of": "yesterday",
            "extra": 1,
        },
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert set(errors) >= {
        "as_of",
        "extra",
        "facts.person.birth_date",
        "facts.person.employment",
    }


def test_reasons_follow_the_language(client):
    response = client.post(
        "/api/eligibility",
        json={"facts": FACTS, "as_of": "2026-01-15"},
        headers={"Accept-Language": "km"},
    )
    reasons = response.json["results"][0]["reasons"]
    assert any("\u1780" <= ch <= "\u17ff" for ch in reasons[0]["text"])


def test_is_rate_limited(client):
    statuses = [
        client.post("/api/eligibility", json={"facts": {}, "as_of": "2026-01-15"}).status_code
        for _ in range(61)
    ]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


def assert_refused_with_errors(response):
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.json["errors"]


def test_json_nested_too_deep_is_refused_not_a_crash(client):
    deep = "[" * 1000 + "]" * 1000
    response = client.post("/api/eligibility", data=deep, content_type="application/json")
    assert_refused_with_errors(response)
    deep_facts = '{"facts": {"person": ' + "[" * 1000 + "]" * 1000 + "}}"
    response = client.post("/api/eligibility", data=deep_facts, content_type="application/json")
    assert_refused_with_errors(response)


def test_a_number_too_long_to_read_is_refused(client):
    body = '{"facts": {"person": {"school_grade": ' + "9" * 5000 + "}}}"
    response = client.post("/api/eligibility", data=body, content_type="application/json")
    assert_refused_with_errors(response)


def test_nan_and_infinite_numbers_are_refused(client):
    for number in ("NaN", "Infinity", "-Infinity", "1e999", "-1e999"):
        for fact in ("school_attendance_percent", "school_grade", "sex", "birth_date"):
            body = f'{{"facts": {{"person": {{"{fact}": {number}}}}}}}'
            response = client.post("/api/eligibility", data=body, content_type="application/json")
            assert_refused_with_errors(response)
            assert f"facts.person.{fact}" in response.json["errors"]
        body = f'{{"facts": {{}}, "as_of": {number}}}'
        response = client.post("/api/eligibility", data=body, content_type="application/json")
        assert "as_of" in response.json["errors"]


def test_a_lone_surrogate_is_refused_and_the_answer_is_still_json(client):
    for body in (
        '{"facts": {"person": {"sex": "\\ud800"}}}',
        '{"facts": {"\\udfff": 1}}',
        '{"facts": {"children": [{"\\ud800": 1}]}, "as_of": "\\ud800"}',
    ):
        response = client.post("/api/eligibility", data=body, content_type="application/json")
        assert_refused_with_errors(response)
        response.get_data().decode("utf-8")  # encodable: the surrogate is escaped
    raw = '{"facts": {"person": {"sex": "\ud800"}}}'.encode("utf-8", "surrogatepass")
    response = client.post("/api/eligibility", data=raw, content_type="application/json")
    assert_refused_with_errors(response)


def test_household_child_and_disability_facts(client):
    facts = {
        "person": {"birth_date": "1960-01-01", "sex": "female", "pregnant": False},
        "household": {**FACTS["household"], "child_under_2": True},
        "children": [],
    }
    response = client.post("/api/eligibility", json={"facts": facts, "as_of": "2026-01-15"})
    by_id = {r["programme"]: r for r in response.json["results"]}
    assert by_id["pregnancy_child_cash"]["status"] == "eligible"

    facts = {"person": {"disability_card": False, "disability": False}}
    response = client.post("/api/eligibility", json={"facts": facts, "as_of": "2026-01-15"})
    by_id = {r["programme"]: r for r in response.json["results"]}
    assert by_id["disability_card_benefits"]["next_steps"] == []
    bad = {"household": {"child_under_2": "yes"}}
    response = client.post("/api/eligibility", json={"facts": bad, "as_of": "2026-01-15"})
    assert response.status_code == 400
    assert "facts.household.child_under_2" in response.json["errors"]
