"""Flask commands: ``registry-client create|deactivate``, ``registry migrate|seed-demo``."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from portal.registry.server.auth import SCOPES, create_client, deactivate_client
from portal.registry.server.db import migrate

registry_client_cli = AppGroup("registry-client", help="OAuth clients of the registry.")
registry_cli = AppGroup("registry", help="Schema and demo data of the registry.")


def _session():
    return current_app.extensions["registry.sessions"]()


@registry_client_cli.command("create")
@click.argument("name")
@click.option("--scopes", required=True, help=f"Space-separated, from: {' '.join(SCOPES)}")
def create_client_command(name: str, scopes: str) -> None:
    """Create a client and print {"client_id", "client_secret"} (the secret is shown once)."""
    with _session() as session:
        try:
            credentials = create_client(session, name, scopes.split())
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(json.dumps(credentials))


@registry_client_cli.command("deactivate")
@click.argument("name")
def deactivate_client_command(name: str) -> None:
    """Stop a client: no new tokens, and its issued tokens are refused within seconds."""
    with _session() as session:
        try:
            outcome = deactivate_client(session, name)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(json.dumps(outcome))


@registry_cli.command("migrate")
def migrate_command() -> None:
    """Bring the database schema up to date (Alembic)."""
    migrate(current_app.extensions["registry.engine"])
    click.echo("registry schema is up to date")


@registry_cli.command("seed-demo")
@click.option(
    "--places/--no-places",
    default=True,
    show_default=True,
    help="also the households of Kampot that make figures by place worth showing",
)
def seed_demo_command(places: bool) -> None:
    """Load the demo population; running it again changes nothing."""
    from portal.registry.server.seed import seed_demo

    with _session() as session:
        counts = seed_demo(session, places=places)
    click.echo(json.dumps(counts))


@registry_client_cli.command("add-key")
@click.argument("name")
@click.argument("key_id")
@click.argument("public_key")
def add_key_command(name: str, key_id: str, public_key: str) -> None:
    """Register the client's ed25519 public key (base64 of its 32 raw bytes) for
    DCI message signatures; from then on the client's DCI messages must be signed."""
    from portal.registry.server.signatures import add_signing_key

    with _session() as session:
        try:
            outcome = add_signing_key(session, name, key_id, public_key)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(json.dumps(outcome))


@registry_client_cli.command("revoke-key")
@click.argument("name")
@click.argument("key_id")
def revoke_key_command(name: str, key_id: str) -> None:
    """Stop accepting the client's signatures made with KEY_ID (at once)."""
    from portal.registry.server.signatures import revoke_signing_key

    with _session() as session:
        try:
            outcome = revoke_signing_key(session, name, key_id)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(json.dumps(outcome))


@registry_client_cli.command("set-callback")
@click.argument("name")
@click.argument("url")
def set_callback_command(name: str, url: str) -> None:
    """Register where the client's DCI callbacks go (https; http only to loopback)."""
    from portal.registry.server.client_settings import set_callback_url

    with _session() as session:
        try:
            outcome = set_callback_url(session, name, url)
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    click.echo(json.dumps(outcome))


@registry_cli.command("exchange")
@click.option("--once", is_flag=True, help="answer and deliver what is due now, then stop")
def exchange_command(once: bool) -> None:
    """Answer asynchronous searches and deliver callbacks, until stopped (SIGTERM)."""
    from portal.registry.server.exchange import ExchangeRunner, outcome_line, run_once

    app = current_app._get_current_object()
    if once:
        click.echo(outcome_line(run_once(app)))
        return
    runner = ExchangeRunner(app)
    runner.stop_on_signals()
    runner.run()
