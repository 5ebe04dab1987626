"""Shared facts and a shortcut for the eligibility tests."""

from __future__ import annotations

import datetime
from typing import Any

from portal.eligibility import evaluate

TODAY = datetime.date(2025, 11, 21)
POOR_VERIFIED = {"idpoor_level": 1, "idpoor_verified": True, "equity_card_expiry": "2027-06-30"}
POOR_SELF_DECLARED = {"idpoor_level": 2, "equity_card_expiry": "2027-06-30"}
NO_CARD = {"idpoor_level": None, "idpoor_verified": True}


def result(programme: str, facts: dict[str, Any], as_of: datetime.date = TODAY) -> dict:
    """The one result for ``programme`` among all results of ``evaluate``."""
    [found] = [r for r in evaluate(facts, as_of) if r["programme"] == programme]
    return found


def codes(items: list[dict[str, str]]) -> list[str]:
    return [item["code"] for item in items]
