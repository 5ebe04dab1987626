"""`flask --app portal ...` commands for operators."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from portal.database import db, migrate
from portal.registry_access import registry

database_commands = AppGroup("db", help="The portal's own database.")


@database_commands.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Run the portal's migrations (a deployment step in production)."""
    migrate(db.engine, revision)
    click.echo(f"portal database at {revision}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo population into the embedded registry (running it again changes nothing)."""
    from portal.registry.server.seed import seed_demo as load_demo_population

    embedded = registry().embedded_app
    if embedded is None:
        raise click.UsageError(
            "seed-demo loads only the embedded registry (PORTAL_REGISTRY_URL set)"
        )
    with embedded.extensions["registry.sessions"]() as session:
        counts = load_demo_population(session)
    click.echo(f"demo data: {counts}")


def setup_commands(app: Flask) -> None:
    app.cli.add_command(database_commands)
    app.cli.add_command(seed_demo)
