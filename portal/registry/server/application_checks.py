"""An application's payments and list filters, checked.

Payments are a ledger: a payment once recorded never changes nor disappears,
each has its own id, and only an enrolled application has any (the write that
moves an approved application to enrolled may carry the first one).
"""

from __future__ import annotations

from portal.registry.server.kinds import CONTENT
from portal.registry.server.list_filters import any_of, start_of_day

PAYMENTS = f"{CONTENT}.payments"
PAYING_STATUS = "enrolled"

Problems = list[tuple[str, str]]
__all__ = ["any_of", "normalised_payment", "payment_problems", "start_of_day"]


def normalised_payment(payment: dict) -> dict:
    """A payment as stored: every field present, the amount a whole number."""
    return {
        "id": payment["id"],
        "paid_on": payment["paid_on"],
        "period": payment["period"],
        "amount_riel": int(payment["amount_riel"]),
        "provider_reference": payment.get("provider_reference"),
    }


def payment_problems(previous: list[dict], payments: list[dict], status: str) -> Problems:
    """What is wrong with ``payments`` replacing ``previous`` on an application that
    will be ``status`` after the write."""
    problems: Problems = []
    ids = [payment["id"].lower() for payment in payments]
    if len(set(ids)) != len(ids):
        problems.append((PAYMENTS, "Each payment has its own id."))
    by_id = {payment["id"]: payment for payment in payments}
    if any(by_id.get(old["id"]) != normalised_payment(old) for old in previous):
        problems.append((PAYMENTS, "A recorded payment cannot change or be removed; add new ones."))
    if payments and status != PAYING_STATUS:
        problems.append((PAYMENTS, f"Only an application that is {PAYING_STATUS} has payments."))
    return problems
