"""The outbox worker: `flask --app portal outbox work`.

A loop: run the periodic jobs that are due, claim a batch of due items,
deliver each, and sleep a moment when there is nothing to do. Any number of
workers may run at once (see `store`). SIGTERM or SIGINT lets the item in
hand finish, then the worker stops; a worker killed outright loses nothing:
what it had claimed becomes due again when the claim's lease ends.
"""

from __future__ import annotations

import logging
import random
import signal
import threading

from flask import Flask

from portal.database import db
from portal.outbox import store
from portal.outbox.delivery import DELIVERY_DEADLINE, deliver
from portal.outbox.jobs import run_due_jobs
from portal.outbox.services import settle, utcnow

logger = logging.getLogger("portal.outbox")


class Worker:
    def __init__(
        self, app: Flask, *, batch: int = 10, lease: float = 60.0, idle: float = 1.0
    ) -> None:
        if lease <= DELIVERY_DEADLINE:
            raise ValueError(f"the lease must be longer than a delivery ({DELIVERY_DEADLINE} s)")
        self.app = app
        self.batch = batch
        self.lease = lease
        self.idle = idle
        self.stopping = threading.Event()

    def work_once(self) -> int:
        """One pass: due jobs, then one batch. How many items it handled."""
        with self.app.app_context():
            run_due_jobs(self.app, utcnow())
            with db.session() as session:
                items = store.claim_due(session, utcnow(), self.batch, self.lease)
                handled = 0
                for item in items:
                    if self.stopping.is_set():  # stopping: what is left is due again now
                        store.release(session, item, utcnow())
                        continue
                    # A fresh lease for each delivery: a long batch never lets
                    # another worker take an item this one is still sending.
                    if not store.renew(session, item, utcnow(), self.lease):
                        continue
                    if item.expires_at is not None and store.aware(item.expires_at) < utcnow():
                        store.mark_expired(session, item, utcnow())
                    else:
                        settle(session, item, deliver(item), utcnow(), by_worker=True)
                    handled += 1
                return handled

    def work_until_empty(self) -> int:
        """Deliver what is due now, then return how many items were handled."""
        total = 0
        while not self.stopping.is_set():
            handled = self.work_once()
            if handled == 0:
                return total
            total += handled
        return total

    def run(self) -> None:
        """Work until stopped."""
        logger.info("outbox worker started (batch %d, lease %.0f s)", self.batch, self.lease)
        while not self.stopping.is_set():
            try:
                handled = self.work_once()
            except Exception:  # the database was away: wait, then carry on
                logger.exception("outbox worker pass failed")
                handled = 0
            if handled == 0:
                self.stopping.wait(self.idle * random.uniform(0.5, 1.5))  # noqa: S311
        logger.info("outbox worker stopped")

    def stop_on_signals(self) -> None:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: self.stopping.set())
