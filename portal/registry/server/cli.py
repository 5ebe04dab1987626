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
def seed_demo_command() -> None:
    """Load the demo population; running it again changes nothing."""
    from portal.registry.server.seed import seed_demo

    with _session() as session:
        counts = seed_demo(session)
    click.echo(json.dumps(counts))
