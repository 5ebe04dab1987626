"""Messages the registry sends to DCI clients: on-search, on-subscribe,
on-unsubscribe, txn/on-status and notify.

A feature queues a message with ``enqueue`` in the same database transaction
as the change it reports, so none is lost. ``deliver_due`` sends what is due,
each signed with the registry's key, to the client's registered callback
address (never to an address taken from a message unless it lies under the
registered one), and retries failures with growing, spread pauses; after
``MAX_ATTEMPTS`` a message is parked for the operator. A delivered message's
body is emptied: the records it carried are not kept twice. Workers claim a message
by a compare-and-set UPDATE, so two workers never send the same one at once.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.models import DciCallback, OAuthClient

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_PAUSE = timedelta(seconds=5)
LONGEST_PAUSE = timedelta(hours=1)
CLAIM = timedelta(minutes=2)
TIMEOUT_SECONDS = 10.0
BATCH = 50

# The path of each action under the client's callback base address.
PATHS = {
    "on-search": "/registry/on-search",
    "on-subscribe": "/registry/on-subscribe",
    "on-unsubscribe": "/registry/on-unsubscribe",
    "txn-on-status": "/registry/txn/on-status",
    "notify": "/registry/notify",
}


class NoCallbackAddress(Exception):
    """The client has no registered callback address (or the message named
    one outside it): the registry cannot answer it asynchronously."""


def callback_base(session: Session, client_id: str) -> str | None:
    client = session.get(OAuthClient, client_id)
    return client.callback_url if client is not None else None


def address_for(session: Session, client_id: str, action: str, sender_uri: str | None) -> str:
    """Where ``action`` goes for this client: ``sender_uri`` when the message
    gave one under the registered base address, else base + the action's path."""
    base = callback_base(session, client_id)
    if not base:
        raise NoCallbackAddress("This client has no registered callback address.")
    if sender_uri:
        if not _is_under(sender_uri, base):
            raise NoCallbackAddress("sender_uri is not under the client's registered address.")
        return sender_uri
    return base.rstrip("/") + PATHS[action]


def _is_under(uri: str, base: str) -> bool:
    given, registered = urlsplit(uri), urlsplit(base)
    if (given.scheme, given.netloc) != (registered.scheme, registered.netloc):
        return False
    prefix = registered.path.rstrip("/")
    return given.path == prefix or given.path.startswith(prefix + "/")


def enqueue(session: Session, client_id: str, url: str, action: str, body: dict) -> DciCallback:
    """Queue ``body`` (a DCI envelope without signature) for ``url``; the
    caller commits it with the change it reports."""
    moment = now()
    callback = DciCallback(
        client_id=client_id,
        url=url,
        action=action,
        body=body,
        state="waiting",
        attempts=0,
        next_attempt_at=moment,
        created_at=moment,
    )
    session.add(callback)
    return callback


def pause_after(attempts: int) -> timedelta:
    """Double the pause per attempt up to an hour, spread over its upper half."""
    longest = min(FIRST_PAUSE * (2 ** max(attempts - 1, 0)), LONGEST_PAUSE)
    return longest * random.uniform(0.5, 1.0)  # noqa: S311 (spreading retries, not secrets)


Signer = Callable[[dict], dict]


def deliver_due(
    sessions: Callable[[], Session], http: httpx.Client, sign: Signer, at: datetime | None = None
) -> int:
    """Send every message due at ``at`` (default now); the number delivered."""
    moment = at or now()
    with sessions() as session:
        due = session.scalars(
            select(DciCallback.id)
            .where(
                DciCallback.state == "waiting",
                DciCallback.next_attempt_at <= moment,
                or_(DciCallback.claimed_until.is_(None), DciCallback.claimed_until < moment),
            )
            .order_by(DciCallback.next_attempt_at, DciCallback.id)
            .limit(BATCH)
        ).all()
    delivered = 0
    for callback_id in due:
        delivered += _deliver_one(sessions, http, sign, callback_id, moment)
    return delivered


def _deliver_one(
    sessions: Callable[[], Session],
    http: httpx.Client,
    sign: Signer,
    callback_id: int,
    at: datetime,
) -> int:
    with sessions() as session:
        claimed = session.execute(
            update(DciCallback)
            .where(
                DciCallback.id == callback_id,
                DciCallback.state == "waiting",
                or_(DciCallback.claimed_until.is_(None), DciCallback.claimed_until < at),
            )
            .values(claimed_until=at + CLAIM)
        )
        session.commit()
        if claimed.rowcount != 1:
            return 0  # another worker has it
        callback = session.get(DciCallback, callback_id)
        assert callback is not None
        problem = _send(http, callback.url, sign(callback.body))
        callback.attempts += 1
        callback.claimed_until = None
        if problem is None:
            callback.state, callback.delivered_at, callback.last_error = "delivered", now(), None
            callback.body = {}  # delivered: the registry keeps no second copy of the records
        else:
            callback.last_error = problem
            if callback.attempts >= MAX_ATTEMPTS:
                callback.state = "parked"
            else:
                callback.next_attempt_at = at + pause_after(callback.attempts)
            log.warning(
                "callback %s (%s) not delivered (attempt %s): %s",
                callback.id,
                callback.action,
                callback.attempts,
                problem,
            )
        session.commit()
        return 1 if problem is None else 0


def _send(http: httpx.Client, url: str, envelope: dict) -> str | None:
    """None when the client took the message (2xx), else what went wrong (no data)."""
    try:
        response = http.post(url, json=envelope, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        return type(error).__name__
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"
