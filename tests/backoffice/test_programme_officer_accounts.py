"""Programme officers: created with `flask staff create --role programme_officer
--programmes ...` (only programmes of this portal, at least one), signed in
with their programmes in the session, or from the ministry's claims."""

from __future__ import annotations

import pytest

from portal.database import db
from portal.staff import services
from portal.staff.oidc import member_from_claims
from tests.staff.conftest import PASSWORD, account, sign_in


def create(app, *options):
    return app.test_cli_runner().invoke(
        args=[
            "staff",
            "create",
            "--username=sophea.n",
            "--name=Sophea Noun",
            f"--password={PASSWORD}",
            *options,
        ]
    )


def secret_of(output: str) -> str:
    uri = next(line for line in output.splitlines() if line.startswith("otpauth://"))
    return uri.split("secret=")[1].split("&")[0]


def test_the_command_creates_a_programme_officer_who_signs_in_with_the_programmes(app):
    result = create(
        app,
        "--role=programme_officer",
        "--programmes",
        "elderly_allowance, idpoor_assessment,elderly_allowance",
    )
    assert result.exit_code == 0, result.output
    assert "(programme_officer)" in result.output
    assert account(app, "sophea.n").programme_ids == ["elderly_allowance", "idpoor_assessment"]
    client = app.test_client()
    assert sign_in(client, "sophea.n", secret_of(result.output)).location == "/staff/"
    with client.session_transaction() as session:
        assert session["staff"]["role"] == "programme_officer"
        assert session["staff"]["programme_ids"] == ["elderly_allowance", "idpoor_assessment"]
    assert client.get("/backoffice/applications").status_code == 200


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--role=programme_officer", "--programmes=elderly_allowance,free_money"],
            "These are not programmes of this portal: free_money.",
        ),
        (["--role=programme_officer"], "A programme officer needs at least one programme."),
        (
            ["--role=officer", "--communes=120101", "--programmes=elderly_allowance"],
            "Only a programme officer has programmes.",
        ),
    ],
)
def test_the_command_refuses_programmes_that_do_not_fit(app, options, message):
    result = create(app, *options)
    assert result.exit_code == 1
    assert message in result.output
    assert account(app, "sophea.n") is None


def test_a_commune_officer_has_no_programmes(app):
    with app.app_context(), db.session() as session:
        services.create_account(
            session,
            username="officer.k",
            name="K",
            role="officer",
            communes=["120101"],
            password=PASSWORD,
            now=services.utcnow(),
        )
    assert account(app, "officer.k").programme_ids == []


def test_programmes_from_the_ministry_claims():
    member = member_from_claims(
        {
            "sub": "p1",
            "roles": ["programme_officer"],
            "programme_ids": "pregnancy_child_cash unknown_thing",
            "commune_codes": [],
        }
    )
    assert member.role == "programme_officer"
    assert member.programme_ids == ("pregnancy_child_cash",)
    assert member_from_claims({"sub": "p2", "roles": ["programme_officer"]}) is None
    officer = member_from_claims(
        {
            "sub": "o1",
            "roles": ["officer"],
            "commune_codes": ["120101"],
            "programme_ids": ["pregnancy_child_cash"],
        }
    )
    assert officer.programme_ids == ()
