"""`flask --app portal ...` commands for operators."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from portal.database import db, migrate

database_commands = AppGroup("db", help="The portal's own database.")


@database_commands.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Run the portal's migrations (a deployment step in production)."""
    migrate(db.engine, revision)
    click.echo(f"portal database at {revision}")


def setup_commands(app: Flask) -> None:
    app.cli.add_command(database_commands)
