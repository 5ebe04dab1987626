"""SMS gateway backends. Neither logs a phone number or a message text."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol

import httpx
from flask import Flask, current_app
from sqlalchemy import delete, select

from portal.database import Database, db
from portal.notifications.models import DevTextMessage
from portal.notifications.rate import SendingRate
from portal.registry.client.deadline import seconds_left

logger = logging.getLogger("portal.sms")


class SmsSendError(RuntimeError):
    """The gateway did not accept the message."""


class SmsOverRate(SmsSendError):
    """Sending now would exceed the provider's rate (PORTAL_SMS_RATE): try a little later."""


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str
    sent_at: dt.datetime


class SmsGateway(Protocol):
    def send(self, to: str, text: str, event: str | None = None) -> None:
        """Hand the message to the network, or raise SmsSendError. `event`
        names what the message is about, the same on every attempt."""


class ConsoleGateway(SmsGateway):
    """Development: keeps the last messages in the portal's database for /dev/sms
    (shared by every worker process); sends nothing."""

    def __init__(self, database: Database, keep: int = 50) -> None:
        self._db = database
        self._keep = keep

    def send(self, to: str, text: str, event: str | None = None) -> None:
        with self._db.session() as session:
            session.add(DevTextMessage(to=to, text=text, sent_at=dt.datetime.now(dt.UTC)))
            session.flush()
            newest = select(DevTextMessage.id).order_by(DevTextMessage.id.desc()).limit(self._keep)
            session.execute(delete(DevTextMessage).where(DevTextMessage.id.not_in(newest)))
            session.commit()
        logger.info("sms kept by the console gateway (%d characters)", len(text))

    def messages(self) -> list[SentSms]:
        """The kept messages, newest first."""
        with self._db.session() as session:
            rows = session.scalars(
                select(DevTextMessage).order_by(DevTextMessage.id.desc()).limit(self._keep)
            )
            return [SentSms(row.to, row.text, row.sent_at) for row in rows]


class HttpGateway(SmsGateway):
    """An SMS provider's HTTP API: POST {"to", "text"} as JSON with a bearer token."""

    def __init__(self, url: str, token: str, sender: str, timeout: float = 10.0) -> None:
        self._url = url
        self._sender = sender
        self._timeout = timeout
        self._http = httpx.Client(
            timeout=timeout, headers={"Authorization": f"Bearer {token}"} if token else {}
        )

    def send(self, to: str, text: str, event: str | None = None) -> None:
        """Sent with an `Idempotency-Key` (a hash of `event`), so that a provider
        that honours it never delivers one event twice (a worker that died after
        the provider took a message sends it again).

        Within the request's deadline, if there is one: a slow provider never
        holds a page (the outbox sends the message later instead)."""
        left = seconds_left()
        timeout = self._timeout if left is None else min(self._timeout, left)
        if timeout < 0.05:
            raise SmsSendError("no time left in this request")
        try:
            response = self._http.post(
                self._url,
                json={"to": to, "text": text, "from": self._sender},
                headers={"Idempotency-Key": hashlib.sha256(event.encode()).hexdigest()}
                if event
                else {},
                timeout=timeout,
            )
        except httpx.HTTPError as error:
            logger.warning("sms gateway unreachable: %s", type(error).__name__)
            raise SmsSendError("gateway unreachable") from None
        if response.status_code >= 300:
            logger.warning("sms gateway refused a message: status %s", response.status_code)
            raise SmsSendError(f"gateway answered {response.status_code}")


def setup_notifications(app: Flask) -> None:
    app.extensions["sms_rate"] = SendingRate(
        app.config["SMS_RATE"], app.config["REDIS_URL"] or "memory://"
    )
    kind = app.config["SMS_GATEWAY"]
    if kind == "console":
        app.extensions["sms_gateway"] = ConsoleGateway(db)
    elif kind == "http":
        if not app.config["SMS_URL"]:
            raise ValueError("PORTAL_SMS_URL is required with PORTAL_SMS_GATEWAY=http")
        app.extensions["sms_gateway"] = HttpGateway(
            app.config["SMS_URL"], app.config["SMS_TOKEN"], app.config["SMS_SENDER"]
        )
    else:
        raise ValueError(f"PORTAL_SMS_GATEWAY must be console or http, not {kind!r}")


def gateway() -> SmsGateway:
    return current_app.extensions["sms_gateway"]


def send_now(to: str, text: str, event: str | None = None, wait_for_slot: float = 0.0) -> None:
    """Hand one message to the provider within its rate (waiting up to
    `wait_for_slot` seconds for room); raise SmsSendError (SmsOverRate when the
    rate is used up) if it is not accepted."""
    if not current_app.extensions["sms_rate"].take(wait_for_slot):
        raise SmsOverRate("over the provider's sending rate")
    gateway().send(to, text, event)
