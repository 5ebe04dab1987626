"""`flask --app portal outbox work|status|parked|retry`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.database import db
from portal.outbox import store
from portal.outbox.jobs import schedule
from portal.outbox.services import status
from portal.outbox.worker import Worker

outbox_commands = AppGroup("outbox", help="Registry writes and text messages waiting to go.")


@outbox_commands.command("work")
@click.option("--batch", default=10, show_default=True, help="items claimed at a time")
@click.option(
    "--lease", default=60.0, show_default=True, help="seconds a claim lasts if the worker dies"
)
@click.option("--idle", default=1.0, show_default=True, help="seconds between empty passes")
@click.option("--until-empty", is_flag=True, help="deliver what is due now, then stop")
def work(batch: int, lease: float, idle: float, until_empty: bool) -> None:
    """Deliver what waits and run the periodic jobs, until stopped (SIGTERM)."""
    worker = Worker(current_app._get_current_object(), batch=batch, lease=lease, idle=idle)
    worker.stop_on_signals()
    if until_empty:
        click.echo(f"{worker.work_until_empty()} items handled")
    else:
        worker.run()


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "nothing waits"
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"oldest waiting {hours}h {minutes:02d}m {rest:02d}s"


@outbox_commands.command("status")
def show_status() -> None:
    """How much waits and for how long, what is parked, when the jobs ran."""
    figures = status(finished=True)
    click.echo(f"waiting: {figures.waiting} ({_age(figures.oldest_waiting_seconds)})")
    click.echo(f"parked (for staff): {figures.parked}")
    click.echo(f"delivered (kept 30 days): {figures.delivered}, expired: {figures.expired}")
    for job in schedule():
        click.echo(
            f"job {job.name}: next {store.aware(job.next_run_at):%Y-%m-%d %H:%M:%S} UTC, "
            f"last: {job.last_outcome or 'never ran'}"
        )


@outbox_commands.command("parked")
def show_parked() -> None:
    """What the registry refused for good, with its reasons."""
    with db.session() as session:
        items = store.parked(session)
    if not items:
        click.echo("nothing is parked")
    for item in items:
        what = (
            f"{item.operation} {item.record_type} {item.record_id}" if item.record_type else "sms"
        )
        click.echo(
            f"#{item.id} {what} ref={item.reference or '-'} attempts={item.attempts} "
            f"by={item.actor} for={item.on_behalf_of or '-'}: {item.last_error}"
        )


@outbox_commands.command("retry")
@click.argument("item_id", type=int)
def retry(item_id: int) -> None:
    """Send a parked item again, once what made the registry refuse it is fixed."""
    with db.session() as session:
        if not store.retry_parked(session, item_id, store.utcnow()):
            raise click.UsageError(f"no parked item #{item_id}")
    click.echo(f"#{item_id} waits to be delivered again")
