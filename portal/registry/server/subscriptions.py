"""DCI subscriptions: a programme operator subscribes to registry events for
its area (``POST /registry/subscribe``) and ends them (``/registry/unsubscribe``);
``registry_events`` then notifies it of each matching event.

Events (``reg_event_type``): ``REGISTER`` (a person was registered),
``NewHouseHoldMember`` (a household was created or someone joined one),
``HOUSEHOLD_CHANGED`` (ours: a household was created or changed) and
``DEATH`` (ours: a person's status set to ``inactive`` with status_change
reason ``death``, as an approved death report does). A person event sends
the person (``Person``), a household event the household (``Group``).

The ``filter`` is a search query (``filter_type`` ``predicate``,
``expression`` or ``idtype-value``) and means what it means in a search
(``search_conditions``): an event is notified when the search would find the
person concerned, or for a household any of its members.

Each item of a subscribe message is answered on its own: ``succ`` with the
new subscription, or ``rjct`` with an official SubscribeStatusReasonCode.
Unsubscribing is in ``unsubscriptions``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.registry.server.audit import now
from portal.registry.server.dci_envelope import (
    REG_TYPE,
    VERSION,
    HeaderRejection,
    answer_header,
    check_header,
    item_problem,
    items_of,
    parse_timestamp,
    transaction_id_of,
)
from portal.registry.server.kinds import iso
from portal.registry.server.models import DciSubscription
from portal.registry.server.search_conditions import Rejected, build_condition

REGISTER = "REGISTER"
NEW_HOUSEHOLD_MEMBER = "NewHouseHoldMember"
HOUSEHOLD_CHANGED = "HOUSEHOLD_CHANGED"
DEATH = "DEATH"
# Each name a subscriber may use → the event it names.
EVENT_NAMES = {
    REGISTER: REGISTER,
    NEW_HOUSEHOLD_MEMBER: NEW_HOUSEHOLD_MEMBER,
    f"spdci:common:RegistryEventType:{NEW_HOUSEHOLD_MEMBER}": NEW_HOUSEHOLD_MEMBER,
    HOUSEHOLD_CHANGED: HOUSEHOLD_CHANGED,
    DEATH: DEATH,
}
# The record each event sends, and the notify_record_type names that ask for
# it (alone or after a namespace, e.g. ``spdci-extensions-dci:Person``).
RECORD_TYPES = {
    REGISTER: "Person",
    DEATH: "Person",
    NEW_HOUSEHOLD_MEMBER: "Group",
    HOUSEHOLD_CHANGED: "Group",
}
_RECORD_NAMES = {"Person": ("Person", "Member"), "Group": ("Group", "Household")}
ACTIVE = "subscribe"
ENDED = "unsubscribe"
DEFAULT_LOCALE = "eng"


class Refused(Exception):
    """A request that cannot be done: its official reason code and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _details(message: str) -> Refused:
    return Refused("rjct.notify_details.invalid", message)


# Subscribing.


def answer_subscribe(
    session: Session,
    body: dict,
    correlation_id: str,
    *,
    client_id: str,
    full_records: bool,
    registry_id: str,
) -> dict:
    """The on-subscribe envelope (unsigned) for ``body``; the subscriptions
    it makes are added to the session, for the caller to commit with it."""
    items = items_of(body, "subscribe_request")
    rejection = check_header(session, body, client_id, len(items))
    answers: list[dict] = []
    if rejection is None:
        sender_id = str(body["header"]["sender_id"])[:200]
        subscriber = _Subscriber(client_id, sender_id, full_records, set(), set())
        subscriber.taken.update(_subscribed_keys(session, client_id))
        answers = [_subscribe_item(session, item, subscriber) for item in items]
    header = callback_header(body, "on-subscribe", registry_id, len(items), len(answers), rejection)
    message = {
        "transaction_id": transaction_id_of(body)[:99],
        "correlation_id": correlation_id,
        "subscribe_response": answers,
    }
    return {"header": header, "message": message}


def callback_header(
    body: dict,
    action: str,
    registry_id: str,
    total: int,
    completed: int,
    rejection: HeaderRejection | None,
) -> dict:
    """The header of an on-subscribe or on-unsubscribe answer."""
    status = "rjct" if rejection else "succ"
    return answer_header(
        body["header"],
        action,
        status,
        registry_id,
        total=total,
        completed=completed,
        rejection=rejection,
    )


@dataclass(frozen=True)
class _Subscriber:
    """Who subscribes, and what its message has subscribed so far."""

    client_id: str
    sender_id: str
    full_records: bool
    seen: set[str]  # reference ids
    taken: set[tuple[str, str]]  # (event, filter) subscribed


def _subscribe_item(session: Session, item: dict, subscriber: _Subscriber) -> dict:
    reference = item.get("reference_id")
    answer: dict[str, Any] = {
        "reference_id": reference if isinstance(reference, str) else "",
        "timestamp": iso(now()),
    }
    locale = _locale(item)
    try:
        _check_item(item, subscriber.seen)
        criteria = item["subscribe_criteria"]
        event = event_of(criteria)
        _check_record_type(criteria, event)
        notify_window(criteria)
        condition_of(criteria)
        key = (event, _filter_key(criteria))
        if key in subscriber.taken:
            raise Refused(
                "rjct.event.already_subscribed",
                "This sender is already subscribed to this event with this filter.",
            )
    except Refused as refused:
        return {
            **answer,
            "status": "rjct",
            "status_reason_code": refused.code,
            "status_reason_message": str(refused)[:999],
            "locale": locale,
        }
    subscriber.taken.add(key)
    subscription = DciSubscription(
        code=str(uuid.uuid4()),
        client_id=subscriber.client_id,
        sender_id=subscriber.sender_id,
        reg_event_type=event,
        criteria=criteria,
        full_records=subscriber.full_records,
        status=ACTIVE,
        created_at=now(),
    )
    session.add(subscription)
    return {
        **answer,
        "status": "succ",
        "subscriptions": [subscription_info(subscription, locale)],
        "locale": locale,
    }


def _check_item(item: dict, seen: set[str]) -> None:
    problem = item_problem(item, seen)
    if problem is not None:
        raise Refused(*problem)
    criteria = item.get("subscribe_criteria")
    if not isinstance(criteria, dict):
        raise _details("subscribe_criteria is an object.")
    if criteria.get("reg_type", REG_TYPE) != REG_TYPE:
        raise _details(f"This registry is {REG_TYPE}.")


def event_of(criteria: dict) -> str:
    """The event a subscription names (rjct.notify_types.invalid when unknown)."""
    name = criteria.get("reg_event_type")
    event = EVENT_NAMES.get(name) if isinstance(name, str) else None
    if event is None:
        raise Refused(
            "rjct.notify_types.invalid",
            f"reg_event_type is one of {', '.join(sorted(set(EVENT_NAMES.values())))}.",
        )
    return event


def _check_record_type(criteria: dict, event: str) -> None:
    asked = criteria.get("notify_record_type")
    if asked is None:
        return
    record_type = RECORD_TYPES[event]
    if not isinstance(asked, str) or asked.rpartition(":")[2] not in _RECORD_NAMES[record_type]:
        raise _details(f"{event} notifies a {record_type} record (notify_record_type).")


def notify_window(criteria: dict) -> tuple[datetime | None, datetime | None]:
    """The time range the subscription notifies in (``frequency``'s start_time
    and end_time, each optional); its cron ``frequency`` is not applied:
    every event is notified as it happens."""
    frequency = criteria.get("frequency")
    if frequency is None:
        return None, None
    if not isinstance(frequency, dict):
        raise _details("frequency is {start_time, end_time, frequency}.")
    bounds = []
    for name in ("start_time", "end_time"):
        value = frequency.get(name)
        moment = parse_timestamp(value) if value is not None else None
        if value is not None and moment is None:
            raise _details(f"frequency.{name} must be an ISO 8601 date-time with a zone.")
        bounds.append(moment)
    start, end = bounds
    if start is not None and end is not None and end < start:
        raise _details("frequency.end_time is before its start_time.")
    return start, end


def filter_type_of(criteria: dict) -> str:
    """The filter's query type: as given, else from its shape (a list is a
    predicate list, {type, value: {...}} a template expression)."""
    given = criteria.get("filter_type")
    if isinstance(given, str):
        return given
    query = criteria.get("filter")
    if isinstance(query, list):
        return "predicate"
    if isinstance(query, dict) and isinstance(query.get("value"), dict):
        return "expression"
    return "idtype-value"


def condition_of(criteria: dict) -> ColumnElement[bool]:
    """The filter as a condition on persons, as a search reads it
    (rjct.notify_details.invalid when it cannot)."""
    try:
        condition, _names = build_condition(filter_type_of(criteria), criteria.get("filter"))
    except Rejected as rejected:
        raise _details(f"filter: {rejected}") from None
    return condition


def _filter_key(criteria: dict) -> str:
    return json.dumps(
        [filter_type_of(criteria), criteria.get("filter")], sort_keys=True, ensure_ascii=False
    )


def _subscribed_keys(session: Session, client_id: str) -> set[tuple[str, str]]:
    """(event, filter) of the client's active subscriptions."""
    rows = session.execute(
        select(DciSubscription.reg_event_type, DciSubscription.criteria).where(
            DciSubscription.client_id == client_id, DciSubscription.status == ACTIVE
        )
    )
    return {(event, _filter_key(criteria)) for event, criteria in rows}


def subscription_info(subscription: DciSubscription, locale: str = DEFAULT_LOCALE) -> dict:
    """An official SubscriptionInfo. It carries the code as ``code`` (the
    property the schema defines) and as ``subscription_code`` (the one it
    requires), and the criteria as received as ``subscribe_criteria``."""
    criteria = subscription.criteria
    return {
        "version": VERSION,
        "code": subscription.code,
        "subscription_code": subscription.code,
        "status": subscription.status,
        "timestamp": iso(subscription.created_at),
        "reg_type": REG_TYPE,
        "reg_event_type": criteria["reg_event_type"],
        "notify_record_type": RECORD_TYPES[subscription.reg_event_type],
        "subscribe_criteria": criteria,
        "locale": locale,
    }


def _locale(item: dict) -> str:
    """The item's locale when it is three lowercase letters (khm, eng), else eng."""
    locale = item.get("locale")
    if isinstance(locale, str) and len(locale) == 3 and locale.isascii() and locale.isalpha():
        return locale if locale.islower() else DEFAULT_LOCALE
    return DEFAULT_LOCALE
