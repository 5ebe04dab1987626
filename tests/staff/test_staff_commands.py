"""`flask --app portal staff ...` through the app's CLI runner."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

from portal.staff.services import opened_totp_secret
from portal.staff.views import FAILED_SIGN_IN
from tests.staff.conftest import PASSWORD, account, enter_password, sign_in


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["staff", *args], **kwargs)


def test_create_prints_the_authenticator_link_once_and_the_account_signs_in(app, client):
    result = run(
        app,
        "create",
        "--username",
        "Sokha.Meas",
        "--name",
        "Sokha Meas",
        "--role",
        "officer",
        "--communes",
        "120101, 120109",
        "--password",
        PASSWORD,
    )
    assert result.exit_code == 0, result.output
    uri = next(line for line in result.output.splitlines() if line.startswith("otpauth://"))
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    stored = account(app, "sokha.meas")
    assert secret not in stored.totp_secret  # stored encrypted
    with app.app_context():
        assert opened_totp_secret(stored.totp_secret) == secret
    assert stored.commune_codes == ["120101", "120109"]
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in result.output
    assert sign_in(client, "sokha.meas", secret).location == "/staff/"


def test_create_asks_for_the_password_when_not_given(app):
    result = run(
        app,
        "create",
        "--username=bopha",
        "--name=Bopha Chea",
        "--role=admin",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert account(app, "bopha").role == "admin"


def test_create_refuses_what_the_rules_refuse(app):
    result = run(
        app,
        "create",
        "--username=dara",
        "--name=Dara",
        "--role=officer",
        "--password=dara-is-short",
    )
    assert result.exit_code == 1
    assert "A commune officer needs at least one commune code." in result.output
    assert "The password must not contain the username." in result.output
    assert account(app, "dara") is None
    unknown_role = run(app, "create", "--username=dara", "--name=D", "--role=citizen")
    assert unknown_role.exit_code == 2


def test_reset_totp_replaces_the_secret_and_deactivate_stops_sign_in(app, client):
    run(app, "create", "--username=kosal", "--name=Kosal", "--role=admin", f"--password={PASSWORD}")
    with app.app_context():
        old_secret = opened_totp_secret(account(app, "kosal").totp_secret)
        result = run(app, "reset-totp", "--username=kosal")
        assert result.exit_code == 0
        new_secret = opened_totp_secret(account(app, "kosal").totp_secret)
    assert new_secret != old_secret and new_secret in result.output

    assert run(app, "deactivate", "--username=kosal").exit_code == 0
    assert account(app, "kosal").active is False
    refused = enter_password(client, "kosal", PASSWORD)
    assert str(FAILED_SIGN_IN) in html.unescape(refused.get_data(as_text=True))
    assert client.get("/staff/login/code").location == "/staff/login"
    assert run(app, "deactivate", "--username=nobody").exit_code == 1


def test_create_refuses_communes_that_do_not_exist(app):
    result = app.test_cli_runner().invoke(
        args=[
            "staff",
            "create",
            "--username",
            "nowhere",
            "--name",
            "No Where",
            "--role",
            "officer",
            "--communes",
            "120102",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code != 0
    assert "These are not commune codes: 120102." in result.output
