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
# "in-order": several writes delivered one after the other (a registration:
# the people, then their household and consent, which name them by SPID).
OPERATIONS = ("update-or-create", "update", "in-order")
SPID_OF = "$spid_of"  # in an in-order write: the SPID of a person written before it


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
    actor = Actor(
        actor=item.actor,
        purpose=item.purpose,
        on_behalf_of=item.on_behalf_of,
        channel=item.channel,
    )
    try:
        if item.operation == "in-order":
            record = _write_in_order(payload["content"]["writes"], actor)
        elif item.operation == "update-or-create":
            resource = getattr(registry(), RESOURCES[item.record_type or ""])
            record = resource.update_or_create(payload["content"], actor=actor)
        else:
            resource = getattr(registry(), RESOURCES[item.record_type or ""])
            change = payload.get("status_change") or {}
            event = payload.get("event")
            record = resource.update(
                item.record_id,
                payload["content"],
                actor=actor,
                reason=change.get("reason"),
                note=change.get("note"),
                extra={"event": event} if event else None,
            )
    except RegistryUnavailable as error:
        return TryLater(f"registry unavailable: {error}")
    except RegistryUnauthorized as error:
        # The portal's own credentials or scopes: an operator fixes them, and
        # nothing the person sent was wrong. Keep trying.
        return TryLater(f"registry refused the portal's credentials ({error.status})")
    except RegistryError as error:
        return Refused(refusal_reason(error), error)
    return Delivered(record)


def _write_in_order(writes: list[dict], actor: Actor) -> dict:
    """Update-or-create each record in turn; a person's SPID, known once the
    registry has them, fills each `{"$spid_of": person_id}` in the writes after.
    Every write names its record's id, so an attempt that stopped half-way is
    simply repeated from the start. Returns the first record written."""
    spids: dict[str, str] = {}
    first: dict | None = None
    for write in writes:
        resource = getattr(registry(), RESOURCES[write["record_type"]])
        record = resource.update_or_create(_with_spids(write["content"], spids), actor=actor)
        if write["record_type"] == "persons":
            spids[record["id"]] = record["spid"]
        first = first if first is not None else record
    if first is None:
        raise ValueError("an in-order write with nothing to write")
    return first


def _with_spids(value, spids: dict[str, str]):
    if isinstance(value, dict):
        if set(value) == {SPID_OF}:
            return spids[value[SPID_OF]]
        return {key: _with_spids(item, spids) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_spids(item, spids) for item in value]
    return value


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
