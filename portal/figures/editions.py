"""The figures job and the editions it keeps.

Every hour (and when a worker starts) the outbox worker asks the registry for
its counts (``GET /statistics/1.0/counts``, scope ``registry.statistics``),
makes the public and the staff editions (``publish``) and stores them in the
portal's database; the pages only read the newest edition. Nothing is counted
while a page is being made. The last few editions are kept.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from portal.applications.offer import programme_ids
from portal.database import db
from portal.figures import publish
from portal.figures.models import FiguresEdition
from portal.grievances.categories import CATEGORIES
from portal.outbox.jobs import register_job
from portal.registry.client import Actor

JOB = "figures"
EVERY = dt.timedelta(hours=1)
KEEP = 3
CACHE_SECONDS = 30.0
ACTOR = Actor(actor="system:figures", purpose="published statistics", on_behalf_of=None)


@dataclass(frozen=True)
class Edition:
    """One edition, its places by code."""

    id: int
    as_of: str
    computed_at: str
    document: dict
    places: dict[str, dict]


def setup_figures(app: Flask) -> None:
    app.extensions["figures_cache"] = _Cache()
    register_job(app, JOB, EVERY, lambda: compute(app))
    app.cli.add_command(figures_cli)


figures_cli = AppGroup("figures", help="Figures for decision-makers (/figures).")


@figures_cli.command("compute")
def compute_command() -> None:
    """Count and publish the figures now (the outbox worker does it every hour)."""
    click.echo(compute(current_app._get_current_object()))


def compute(app: Flask) -> str:
    """Count, publish and keep one edition; an outcome line without numbers of people."""
    from portal.registry_access import registry

    client = registry(app)
    if client.failing():
        # A failing registry gets no extra work from us: citizens' writes first.
        return "skipped: the registry's last calls failed"
    with app.app_context():
        answer = client.statistics.counts(actor=ACTOR)
    public, staff = publish.editions(answer, programme_ids(), CATEGORIES)
    with db.session() as session:
        session.add(
            FiguresEdition(
                as_of=answer["as_of"],
                computed_at=dt.datetime.fromisoformat(answer["computed_at"]),
                public=public,
                staff=staff,
            )
        )
        session.flush()
        newest = session.scalars(
            select(FiguresEdition.id).order_by(FiguresEdition.id.desc()).limit(KEEP)
        ).all()
        session.execute(delete(FiguresEdition).where(FiguresEdition.id.not_in(newest)))
        session.commit()
    app.extensions["figures_cache"].clear()
    shown = len(public["places"])
    return f"figures as of {answer['as_of']}: {shown} places shown"


class _Cache:
    """The newest editions, read from the database at most every 30 seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_at = -CACHE_SECONDS
        self._editions: dict[str, Edition | None] = {}

    def clear(self) -> None:
        with self._lock:
            self._read_at = -CACHE_SECONDS
            self._editions = {}

    def get(self, which: str) -> Edition | None:
        now = time.monotonic()
        with self._lock:
            if now - self._read_at < CACHE_SECONDS and which in self._editions:
                return self._editions[which]
        edition = _read(which)
        with self._lock:
            self._editions[which] = edition
            self._read_at = now
        return edition


def _read(which: str) -> Edition | None:
    with db.session() as session:
        row = session.scalars(
            select(FiguresEdition).order_by(FiguresEdition.id.desc()).limit(1)
        ).first()
        if row is None:
            return None
        document = row.public if which == "public" else row.staff
        return Edition(
            id=row.id,
            as_of=row.as_of,
            computed_at=document["computed_at"],
            document=document,
            places={place["code"]: place for place in document["places"]},
        )


def public() -> Edition | None:
    """The newest public edition (suppressed), or None before the first."""
    return current_app.extensions["figures_cache"].get("public")


def for_staff() -> Edition | None:
    """The newest staff edition (nothing hidden), or None before the first."""
    return current_app.extensions["figures_cache"].get("staff")
