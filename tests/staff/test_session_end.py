"""A password change or a deactivation ends every other session of that account."""

from tests.staff.conftest import PASSWORD, post_form, sign_in, update_account


def test_password_change_ends_other_sessions_but_keeps_this_one(app, officer):
    username, secret = officer
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, username, secret)
    sign_in(elsewhere, username, secret, steps_ahead=1)
    assert elsewhere.get("/staff/").status_code == 200

    changed = post_form(
        here,
        "/staff/password?lang=en",
        current_password=PASSWORD,
        new_password="a different long pass phrase 7",
        confirm_password="a different long pass phrase 7",
    )
    assert changed.status_code == 302
    assert here.get("/staff/").status_code == 200
    response = elsewhere.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/staff/login")
    with elsewhere.session_transaction() as session:
        assert "staff" not in session


def test_deactivation_ends_the_session(app, officer):
    username, secret = officer
    client = app.test_client()
    sign_in(client, username, secret)
    update_account(app, username, active=False)
    assert client.get("/staff/").location.startswith("/staff/login")
