"""The exchange runner: answers the asynchronous searches received and
delivers the callbacks that are due.

``process_received`` takes each search in status ``rcvd`` (or left in
``pdng`` for over ``STALE_CLAIM`` by a worker that died) by a compare-and-set
UPDATE to ``pdng``, so two workers never take the same one; then, in one
database transaction, makes the answer (``search.answer_search``: the access
log and the message id are written in that transaction too), stores it with
the final status, and queues the ``on-search`` callback. A crash before the
commit loses nothing: the search is taken again later. The callback goes to
the client's address as it is when the answer is made; a client that has
none any more gets no answer (status ``rjct``, logged without data).

``run_once`` does both; ``flask registry exchange`` runs it every
``PAUSE_SECONDS`` until SIGTERM or SIGINT. A portal that embeds the registry
runs it as a periodic job of its outbox worker (``portal.registry_access``).
"""

from __future__ import annotations

import logging
import random
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from flask import Flask
from sqlalchemy import and_, null, or_, select, update
from sqlalchemy.orm import Session

from portal.registry.server import callbacks, search, signatures
from portal.registry.server.audit import Actor, now
from portal.registry.server.callbacks import NoCallbackAddress
from portal.registry.server.models import DciTransaction

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=5)
BATCH = 20
PAUSE_SECONDS = 2.0


def process_received(
    sessions: Callable[[], Session], registry_id: str, at: datetime | None = None
) -> int:
    """Answer the searches waiting at ``at`` (default now); how many were answered."""
    moment = at or now()
    with sessions() as session:
        waiting = session.scalars(
            select(DciTransaction.id)
            .where(DciTransaction.action == "search", _takeable(moment))
            .order_by(DciTransaction.received_at, DciTransaction.id)
            .limit(BATCH)
        ).all()
    answered = 0
    for transaction_id in waiting:
        try:
            answered += _process_one(sessions, transaction_id, registry_id, moment)
        except Exception as error:  # one failing search must not stop the others
            log.error("transaction %s not answered: %s", transaction_id, type(error).__name__)
    return answered


def _takeable(moment: datetime):
    return or_(
        DciTransaction.status == "rcvd",
        and_(DciTransaction.status == "pdng", DciTransaction.claimed_at < moment - STALE_CLAIM),
    )


def _process_one(
    sessions: Callable[[], Session], transaction_id: str, registry_id: str, moment: datetime
) -> int:
    with sessions() as session:
        claimed = session.execute(
            update(DciTransaction)
            .where(DciTransaction.id == transaction_id, _takeable(moment))
            .values(status="pdng", claimed_at=moment)
        )
        session.commit()
        if claimed.rowcount != 1:
            return 0  # another worker has it
        transaction = session.get(DciTransaction, transaction_id)
        assert transaction is not None
        header = transaction.request.get("header") or {}
        try:
            url = callbacks.address_for(
                session, transaction.client_id, "on-search", header.get("sender_uri") or None
            )
        except NoCallbackAddress:
            log.warning("transaction %s not answered: no callback address", transaction_id)
            _finish(session, transaction_id, moment, "rjct", None)
            session.commit()
            return 0
        answer = search.answer_search(
            session,
            transaction.request,
            client_id=transaction.client_id,
            base_actor=Actor(**transaction.actor) if transaction.actor else None,
            registry_id=registry_id,
            full_records=transaction.full_records,
            commit=False,  # with the answer and its callback
        )
        answer["message"]["correlation_id"] = transaction_id
        if not _finish(session, transaction_id, moment, answer["header"]["status"], answer):
            session.rollback()  # taken again meanwhile (this worker was too slow): theirs
            return 0
        callbacks.enqueue(session, transaction.client_id, url, "on-search", answer)
        session.commit()
        return 1


def _finish(
    session: Session, transaction_id: str, moment: datetime, status: str, answer: dict | None
) -> bool:
    """Set the outcome if this worker's claim still holds."""
    finished = session.execute(
        update(DciTransaction)
        .where(
            DciTransaction.id == transaction_id,
            DciTransaction.status == "pdng",
            DciTransaction.claimed_at == moment,
        )
        .values(status=status, answer=_kept(answer), finished_at=now())
    )
    return finished.rowcount == 1


def _kept(answer: dict | None):
    """What the transaction keeps of its answer, for txn/status: each item's
    status and pagination, not the records (those go only to the callback)."""
    if answer is None:
        return null()
    message = answer["message"]
    items = [{k: v for k, v in item.items() if k != "data"} for item in message["search_response"]]
    return {**answer, "message": {**message, "search_response": items}}


def run_once(app: Flask, http: httpx.Client | None = None, at: datetime | None = None) -> dict:
    """Answer what was received, then deliver what is due: the counts."""
    with app.app_context():
        sessions = app.extensions["registry.sessions"]
        answered = process_received(sessions, app.config["REGISTRY_ID"], at)
        if http is not None:
            delivered = callbacks.deliver_due(sessions, http, signatures.signed, at)
        else:
            with httpx.Client(follow_redirects=False) as client:
                delivered = callbacks.deliver_due(sessions, client, signatures.signed, at)
    return {"answered": answered, "delivered": delivered}


def outcome_line(counts: dict) -> str:
    """A short line for logs and the job schedule (no data)."""
    return f"{counts['answered']} searches answered, {counts['delivered']} callbacks delivered"


class ExchangeRunner:
    """``run_once`` every ``pause`` seconds until stopped (SIGTERM, SIGINT)."""

    def __init__(self, app: Flask, pause: float = PAUSE_SECONDS) -> None:
        self.app = app
        self.pause = pause
        self.stopping = threading.Event()

    def run(self) -> None:
        log.info("registry exchange started")
        while not self.stopping.is_set():
            try:
                counts = run_once(self.app)
                if counts["answered"] or counts["delivered"]:
                    log.info("registry exchange: %s", outcome_line(counts))
            except Exception:  # the database was away: wait, then carry on
                log.exception("registry exchange pass failed")
            self.stopping.wait(self.pause * random.uniform(0.5, 1.5))  # noqa: S311
        log.info("registry exchange stopped")

    def stop_on_signals(self) -> None:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: self.stopping.set())
