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
