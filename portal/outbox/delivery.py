"""Delivering one outbox item: a registry write (idempotent: the record's
client-generated id with `update-or-create`, or an update to fixed values) or
a text message. Decides what a failure means: try again later, or park.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass

from portal.notifications import SmsOverRate, SmsSendError, send_now
from portal.outbox.models import REGISTRY, OutboxItem
from portal.outbox.payloads import UnreadablePayload, unseal
from portal.registry.client import (
    Actor,
    RegistryError,
    RegistryUnauthorized,
    RegistryUnavailable,
)
from portal.registry.client import deadline as registry_deadline
from portal.registry_access import registry

logger = logging.getLogger("portal.outbox")

FIRST_PAUSE = 5.0  # seconds before the second attempt
LONGEST_PAUSE = 30 * 60.0  # pauses double up to this
DELIVERY_DEADLINE = 15.0  # seconds one delivery may take, retries included
# Registry record types and the client's attribute for each.
RESOURCES = {
    "persons": "persons",
    "households": "households",
    "applications": "applications",
    "grievances": "grievances",
    "consents": "consents",
    "change-requests": "change_requests",
}
OPERATIONS = ("update-or-create", "update")


@dataclass(frozen=True)
class Delivered:
    record: dict | None  # the registry's answer, for a registry write


@dataclass(frozen=True)
class TryLater:
    reason: str
    not_an_attempt: bool = False  # held back by the provider's rate, not a failure


@dataclass(frozen=True)
class Refused:
    reason: str
    error: RegistryError | None = None  # the registry's refusal, for a form to explain


Outcome = Delivered | TryLater | Refused


def pause_after(attempts: int) -> float:
    """Seconds before the next attempt: doubling from FIRST_PAUSE up to
    LONGEST_PAUSE, each drawn from its upper half, so that items refused
    together do not all come back together."""
    longest = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** max(attempts - 1, 0))
    return random.uniform(longest / 2, longest)  # noqa: S311 (spreading retries, not a secret)


def retry_time(now: dt.datetime, attempts: int) -> dt.datetime:
    return now + dt.timedelta(seconds=pause_after(attempts))


def deliver(item: OutboxItem) -> Outcome:
    """Deliver `item` once: within the request's registry deadline inside a
    request, within DELIVERY_DEADLINE in the worker."""
    try:
        payload = unseal(item.payload)
    except UnreadablePayload as error:
        return Refused(str(error))
    left = registry_deadline.seconds_left()
    try:
        with registry_deadline.deadline(DELIVERY_DEADLINE if left is None else left):
            if item.kind == REGISTRY:
                return _write(item, payload)
            return _send(item.key, payload)
    except Exception as error:  # a fault of ours or a library's: keep the item, try again
        logger.exception("outbox item %d: unexpected failure", item.id)
        return TryLater(f"unexpected failure: {type(error).__name__}")


def _write(item: OutboxItem, payload: dict) -> Outcome:
    resource = getattr(registry(), RESOURCES[item.record_type or ""])
    actor = Actor(actor=item.actor, purpose=item.purpose, on_behalf_of=item.on_behalf_of)
    try:
        if item.operation == "update-or-create":
            record = resource.update_or_create(payload["content"], actor=actor)
        else:
            record = resource.update(item.record_id, payload["content"], actor=actor)
    except RegistryUnavailable as error:
        return TryLater(f"registry unavailable: {error}")
    except RegistryUnauthorized as error:
        # The portal's own credentials or scopes: an operator fixes them, and
        # nothing the person sent was wrong. Keep trying.
        return TryLater(f"registry refused the portal's credentials ({error.status})")
    except RegistryError as error:
        return Refused(refusal_reason(error), error)
    return Delivered(record)


def refusal_reason(error: RegistryError) -> str:
    """What the registry said, for staff: status, codes, fields and its messages."""
    details = "; ".join(
        f"{entry.get('field', '')} {entry.get('code', '')}: {entry.get('message', '')}".strip()
        for entry in error.errors
    )
    return f"registry refused it ({error.status}): {details or error}"


def _send(event: str, payload: dict) -> Outcome:
    try:
        send_now(payload["to"], payload["text"], event)
    except SmsOverRate:
        return TryLater("over the provider's rate", not_an_attempt=True)
    except SmsSendError as error:
        return TryLater(f"sms gateway: {error}")
    return Delivered(None)
