"""DCI Social Registry search: the answer to a search message.

Members are persons, Groups are households. ``answer_search`` makes the whole
``on-search`` envelope for a received message: the synchronous search sends
it back at once, the asynchronous one to the sender's callback address.

A problem with the message as a whole (version, message_ts, total_count, a
repeated message_id) refuses it in the header with the official reason code;
a problem with one search item (its reference_id, timestamp, criteria, sort
or pagination) refuses that item alone (``rjct.*``), and the others are
answered. ``completed_count`` counts every item answered, found or refused.
Every person returned is written in that person's access log.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from portal.registry.server.audit import Actor, client_actor, log_access, now
from portal.registry.server.dci_envelope import (
    REG_TYPE,
    HeaderRejection,
    answer_header,
    check_header,
    item_problem,
    items_of,
    transaction_id_of,
)
from portal.registry.server.kinds import iso
from portal.registry.server.search_conditions import Rejected, build_condition, invalid
from portal.registry.server.search_records import Found, groups, members, ordering

RECORD_VERSION = "1.0.0"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
DEFAULT_LOCALE = "eng"


def answer_search(
    session: Session,
    body: dict,
    *,
    client_id: str,
    base_actor: Actor | None,
    registry_id: str,
    full_records: bool,
    commit: bool = True,
) -> dict:
    """The on-search envelope ``{header, message}`` (unsigned) for ``body``.

    ``base_actor``: who acts, from the accountability headers; None for a DCI
    client that sent none (each item's ``consent``/``authorize`` then says
    why). Commits the access-log entries and the message id, or with
    ``commit=False`` leaves them to the caller's transaction."""
    items = items_of(body, "search_request")
    rejection = check_header(session, body, client_id, len(items))
    if rejection is not None:
        session.commit() if commit else session.flush()
        return _envelope(body, [], registry_id, rejection)
    seen: set[str] = set()
    answers = []
    for item in items:
        actor = base_actor or client_actor(client_id, item.get("search_criteria"))
        answers.append(_answer(session, item, seen, actor, full_records))
    session.commit() if commit else session.flush()
    return _envelope(body, answers, registry_id, None)


def _envelope(
    body: dict, answers: list[dict], registry_id: str, rejection: HeaderRejection | None
) -> dict:
    header = answer_header(
        body["header"],
        "on-search",
        "rjct" if rejection else "succ",
        registry_id,
        total=len(items_of(body, "search_request")),
        completed=len(answers),
        rejection=rejection,
    )
    message = {
        "transaction_id": transaction_id_of(body)[:99],
        "correlation_id": str(uuid.uuid4()),
        "search_response": answers,
    }
    return {"header": header, "message": message}


def _answer(session: Session, item: dict, seen: set[str], actor: Actor, full: bool) -> dict:
    reference = item.get("reference_id")
    answer: dict[str, Any] = {
        "reference_id": reference if isinstance(reference, str) else "",
        "timestamp": iso(now()),
    }
    try:
        _check_item(item, seen)
        criteria = item["search_criteria"]
        page = _pagination(criteria.get("pagination"))
        condition, names = build_condition(criteria.get("query_type"), criteria.get("query"))
        if criteria.get("response_entity", "Member") == "Group":
            found: Found = groups(session, condition, page, full)
        else:
            order = ordering(criteria.get("sort"), names)
            found = members(session, condition, order, page, bool(names.words), full)
    except Rejected as rejected:
        return {
            **answer,
            "status": "rjct",
            "status_reason_code": rejected.code,
            "status_reason_message": str(rejected)[:999],
            "locale": _locale(item),
        }
    log_access(session, found.person_ids, "search", actor)
    return {
        **answer,
        "status": "succ",
        "data": {
            "version": RECORD_VERSION,
            "reg_type": REG_TYPE,
            "reg_record_type": found.record_type,
            "reg_records": found.records,
        },
        "pagination": {
            "page_size": page[0],
            "page_number": page[1],
            "total_count": found.total,
        },
        "locale": _locale(item),
    }


def _check_item(item: dict, seen: set[str]) -> None:
    problem = item_problem(item, seen)
    if problem is not None:
        raise Rejected(*problem)
    criteria = item.get("search_criteria")
    if not isinstance(criteria, dict):
        raise invalid("search_criteria is an object.")
    reg_type = criteria.get("reg_type", REG_TYPE)
    if reg_type != REG_TYPE:
        raise invalid(f"This registry is {REG_TYPE}.")
    if criteria.get("response_entity", "Member") not in ("Member", "Group"):
        raise invalid("response_entity is Member or Group.")


def _pagination(pagination: object) -> tuple[int, int]:
    """page_size and page_number (from 1, by default 1); whole numbers only."""
    if pagination is None:
        return DEFAULT_PAGE_SIZE, 1
    if not isinstance(pagination, dict):
        raise Rejected("rjct.pagination.invalid", "pagination is {page_size, page_number}.")
    size = _whole(pagination.get("page_size", DEFAULT_PAGE_SIZE))
    number = _whole(pagination.get("page_number", 1))
    if size is None or number is None or not 1 <= size <= MAX_PAGE_SIZE or number < 1:
        raise Rejected(
            "rjct.pagination.invalid",
            f"page_size is a whole number from 1 to {MAX_PAGE_SIZE}, page_number from 1.",
        )
    if number > 1_000_000:
        raise Rejected("rjct.pagination.invalid", "page_number is at most 1000000.")
    return size, number


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if abs(value) < 2**53 else None


def _locale(item: dict) -> str:
    """The item's locale when it is three lowercase letters (khm, eng), else eng."""
    locale = item.get("locale")
    if isinstance(locale, str) and len(locale) == 3 and locale.isascii() and locale.islower():
        return locale if locale.isalpha() else DEFAULT_LOCALE
    return DEFAULT_LOCALE
