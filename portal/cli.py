"""`flask --app portal ...` commands for operators."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.database import db, migrate
from portal.outbox.cli import outbox_commands
from portal.registry_access import registry
from portal.web.identity import STAFF_ROLES

database_commands = AppGroup("db", help="The portal's own database.")


@database_commands.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Run the portal's migrations (a deployment step in production)."""
    migrate(db.engine, revision)
    click.echo(f"portal database at {revision}")


@click.command("seed-demo")
@click.option(
    "--places/--no-places",
    default=True,
    show_default=True,
    help="also the households of Kampot that make figures by place worth showing",
)
def seed_demo(places: bool) -> None:
    """Load the demo population into the embedded registry (running it again changes nothing)."""
    from portal.registry.server.seed import seed_demo as load_demo_population

    embedded = registry().embedded_app
    if embedded is None:
        raise click.UsageError(
            "seed-demo loads only the embedded registry (PORTAL_REGISTRY_URL set)"
        )
    with embedded.extensions["registry.sessions"]() as session:
        counts = load_demo_population(session, places=places)
    click.echo(f"demo data: {counts}")


staff_commands = AppGroup("staff", help="Local staff accounts (the embedded default).")


def _staff_refused(error) -> click.ClickException:
    """The refusal's sentences in English (they are translatable, so need a request)."""
    with current_app.test_request_context("/?lang=en"):
        return click.ClickException(" ".join(str(message) for message in error.messages))


@staff_commands.command("create")
@click.option("--username", required=True)
@click.option("--name", required=True, help="the person's full name")
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES))
@click.option(
    "--communes",
    default="",
    help="commune codes, comma-separated (officers: one or more; analysts: their area, "
    "province, district or commune codes)",
)
@click.option(
    "--programmes",
    default="",
    help="programme ids, comma-separated (programme officers: one or more)",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="asked when not given (better: it stays out of the shell history)",
)
def create_staff(
    username: str, name: str, role: str, communes: str, programmes: str, password: str
) -> None:
    """Create a staff account and print its authenticator (TOTP) link once."""
    from portal.staff import services

    try:
        with db.session() as session:
            created = services.create_account(
                session,
                username=username,
                name=name,
                role=role,
                communes=communes.split(","),
                programmes=programmes.split(","),
                password=password,
                now=services.utcnow(),
            )
    except services.StaffAccountError as refused:
        raise _staff_refused(refused) from None
    click.echo(f"staff account {created.username} created ({role})")
    click.echo("Add this link to the person's authenticator app (it is shown only once):")
    click.echo(created.provisioning_uri)


@staff_commands.command("reset-totp")
@click.option("--username", required=True)
def reset_staff_totp(username: str) -> None:
    """Give a staff account a new authenticator secret (lost phone)."""
    from portal.staff import services

    try:
        with db.session() as session:
            created = services.reset_totp(session, username)
    except services.StaffAccountError as refused:
        raise _staff_refused(refused) from None
    click.echo("Add this link to the person's authenticator app (it is shown only once):")
    click.echo(created.provisioning_uri)


@staff_commands.command("deactivate")
@click.option("--username", required=True)
def deactivate_staff(username: str) -> None:
    """Stop a staff account from signing in (records keep its name)."""
    from portal.staff import services
    from portal.web.identity import staff_owner
    from portal.web.sessions import end_sessions_of

    try:
        with db.session() as session:
            services.deactivate(session, username)
    except services.StaffAccountError as refused:
        raise _staff_refused(refused) from None
    end_sessions_of(staff_owner(username))
    click.echo(f"staff account {username} deactivated; signed out everywhere")


@staff_commands.command("unlock")
@click.option("--username", required=True)
def unlock_staff(username: str) -> None:
    """Lift a lockout after too many wrong passwords or codes."""
    from portal.staff import services

    try:
        with db.session() as session:
            services.unlock(session, username)
    except services.StaffAccountError as refused:
        raise _staff_refused(refused) from None
    click.echo(f"staff account {username} unlocked")


def setup_commands(app: Flask) -> None:
    app.cli.add_command(database_commands)
    app.cli.add_command(staff_commands)
    app.cli.add_command(seed_demo)
    app.cli.add_command(outbox_commands)
