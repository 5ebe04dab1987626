"""Design-system forms and the error pages, through a sample form mounted in tests."""

import re

import pytest

from tests.support import sample_form


@pytest.fixture
def app(app):
    app.register_blueprint(sample_form.blueprint)
    sample_form.received.clear()
    return app


def csrf_token(client, path="/sample"):
    body = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)


def test_khmer_digits_are_accepted_and_normalised(client):
    token = csrf_token(client)
    response = client.post(
        "/sample",
        data={
            "csrf_token": token,
            "phone_number": " ០១២ ៣៤៥ ៦៧៨ ".replace(" ", ""),
            "birth_date-day": "១៤",
            "birth_date-month": "៣",
            "birth_date-year": "១៩៩០",
            "sex": "female",
        },
    )
    assert response.status_code == 302
    assert sample_form.received == [
        {"phone_number": "012345678", "birth_date": __import__("datetime").date(1990, 3, 14)}
    ]


def test_errors_are_summarised_linked_and_keep_what_was_typed(client):
    token = csrf_token(client)
    response = client.post(
        "/sample?lang=en",
        data={
            "csrf_token": token,
            "phone_number": "០១២",
            "birth_date-day": "31",
            "birth_date-month": "2",
            "birth_date-year": "1990",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Sample" in body
    assert 'class="err-sum" role="alert"' in body
    assert '<a href="#phone_number">' in body
    assert '<a href="#birth_date-day">Enter a real date, for example 14 3 1990</a>' in body
    assert '<a href="#sex">Choose one</a>' in body
    # what was typed is shown again, as typed (Khmer digits stay Khmer)
    assert 'value="០១២"' in body
    assert 'name="birth_date-day" inputmode="numeric" value="31"' in body
    assert 'aria-invalid="true"' in body
    assert sample_form.received == []


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1" * 20, "3", "1990", "Enter the day as a number from 1 to 31"),
        ("14", "1" * 5000, "1990", "Enter the month as a number from 1 to 12"),
        ("14", "3", "61", "Enter the year with 4 digits, for example 1990"),
        ("14", "3", "1066", "Enter a year from 1900 to 2100"),
    ],
)
def test_a_date_out_of_bounds_is_refused_and_keeps_what_was_typed(
    client, day, month, year, message
):
    response = client.post(
        "/sample?lang=en",
        data={
            "csrf_token": csrf_token(client),
            "phone_number": "012345678",
            "birth_date-day": day,
            "birth_date-month": month,
            "birth_date-year": year,
            "sex": "female",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<a href="#birth_date-day">{message}</a>' in body
    assert f'name="birth_date-day" inputmode="numeric" value="{day}"' in body
    assert f'name="birth_date-year" inputmode="numeric" value="{year}"' in body
    assert sample_form.received == []


def test_wtforms_own_messages_are_in_khmer_with_khmer_digits(client):
    token = csrf_token(client)
    response = client.post(
        "/sample?lang=km", data={"csrf_token": token, "phone_number": "012345678", "note": "x" * 65}
    )
    body = response.get_data(as_text=True)
    message = re.search(r'<a href="#note">([^<]*)</a>', body).group(1)
    assert "Field cannot be longer" not in message
    assert "៦៤" in message and not re.search(r"[0-9]", message)


def test_wtforms_own_messages_stay_english_on_english_pages(client):
    token = csrf_token(client)
    response = client.post(
        "/sample?lang=en", data={"csrf_token": token, "phone_number": "012345678", "note": "x" * 65}
    )
    assert "Field cannot be longer than 64 characters." in response.get_data(as_text=True)


def test_a_json_body_is_not_read_as_the_form(client):
    client.get("/sample")
    for body in ("[" * 1000 + "]" * 1000, '"text"', "[1, 2]"):
        response = client.post("/sample", data=body, content_type="application/json")
        assert response.status_code == 400
    assert sample_form.received == []


def test_error_summary_in_khmer(client):
    token = csrf_token(client)
    body = client.post("/sample", data={"csrf_token": token}).get_data(as_text=True)
    assert "<title>កំហុស៖ " in body
    assert "មានបញ្ហា" in body


def test_expired_csrf_token_shows_the_form_again_with_the_answers(client):
    client.get("/sample?lang=en")
    response = client.post(
        "/sample",
        data={"csrf_token": "expired-or-forged", "phone_number": "012345678", "sex": "male"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "for your safety it was not sent" in body
    assert 'value="012345678"' in body
    assert 'value="male" checked' in body
    assert sample_form.received == []
    # the page carries a fresh token, so sending again works
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    again = client.post(
        "/sample",
        data={
            "csrf_token": fresh,
            "phone_number": "012345678",
            "birth_date-day": "1",
            "birth_date-month": "1",
            "birth_date-year": "1990",
            "sex": "male",
        },
    )
    assert again.status_code == 302


def test_post_without_any_token_is_refused(client):
    response = client.post("/sample", data={"phone_number": "012345678"})
    assert response.status_code == 400
    assert sample_form.received == []


def test_unexpected_error_gives_a_translated_500_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "មានអ្វីមួយខុស" in response.get_data(as_text=True)


def test_registry_outage_gives_the_service_busy_page(app, client):
    from portal.registry.client import RegistryUnavailable

    @app.get("/busy")
    def busy():
        raise RegistryUnavailable("connect timeout")

    response = client.get("/busy?lang=en")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "your answers are kept" in response.get_data(as_text=True)


def test_forbidden_page(app, client):
    from flask import abort

    @app.get("/secret")
    def secret():
        abort(403)

    response = client.get("/secret?lang=en")
    assert response.status_code == 403
    assert "You cannot see this page" in response.get_data(as_text=True)


def test_every_design_system_component_renders_a_valid_page(client):
    response = client.get("/sample/components?lang=km")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<strong class="ref">APP-២០២៥-០០០០៤២</strong>' in body
    assert "៨០,០០០៛" in body
    assert 'rel="prev"' in body and 'rel="next"' in body
    assert "ទំព័រ ២ នៃ ៣" in body
    assert '<strong class="tag tag-blue">In review</strong>' in body
    assert 'type="checkbox" id="needs-0" name="needs" value="food"' in body
