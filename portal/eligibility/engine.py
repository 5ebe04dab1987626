"""Evaluate a person's facts against every programme, as PROGRAMMES.md specifies.

``evaluate(facts, as_of)`` gives exactly one result per programme, in the
order of the programme table. ``questions_needed`` tells a screener which
unknown facts could still change a result; ``programmes`` gives what a page
shows about each programme (names, benefit, documents, where to apply).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from . import messages
from .conditions import Explanation
from .facts import FACT_ORDER, parse_facts, without_unverified
from .messages import Language
from .rules import Amount, Period, Programme, catalogue

Flat = Mapping[str, Any]
PAYING = frozenset({"eligible", "likely_eligible", "needs_information"})


def _check_as_of(as_of: Any) -> None:
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        raise TypeError("as_of must be a datetime.date")


def _amount(amounts: Iterable[Amount], flat: Flat, as_of: datetime.date) -> int | None:
    """The first amount whose condition holds; None when unverified or not yet decidable."""
    for amount in amounts:
        decided = True if amount.when is None else amount.when.value(flat, as_of)
        if decided is None:
            return None
        if decided:
            return amount.amount_riel
    return None


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _steps(codes: Iterable[str], language: Language) -> list[dict[str, str]]:
    return [language.coded(code, messages.NEXT_STEPS) for code in _unique(codes)]


def _has_payments(programme: Programme) -> bool:
    return any(period.payments is not None for period in programme.periods)


def _has_cost(programme: Programme) -> bool:
    return any(period.cost_riel is not None for period in programme.periods)


def _result(
    language: Language,
    programme: Programme,
    status: str,
    reasons: list[dict[str, str]],
    steps: Iterable[str],
    period: Period | None = None,
    flat: Flat | None = None,
    as_of: datetime.date | None = None,
) -> dict[str, Any]:
    """A result dict; amounts only while the programme may pay this person."""
    paying = period is not None and status in PAYING
    result: dict[str, Any] = {
        "programme": programme.id,
        "status": status,
        "amount_riel": _amount(period.amounts, flat, as_of) if paying else None,
        "frequency": period.frequency if paying else None,
    }
    if _has_payments(programme):
        result["payments"] = [
            {
                "event": payment.event,
                "text": language.text(messages.PAYMENT_EVENTS[payment.event]),
                "amount_riel": _amount(payment.amounts, flat, as_of),
                "max_count": payment.max_count,
                "per": payment.per,
                "note": language.text(messages.PAYMENT_NOTES[payment.note])
                if payment.note
                else None,
            }
            for payment in (period.payments or ())
            if paying
        ]
    if _has_cost(programme):
        result["cost_riel"] = period.cost_riel if paying else None
    result["reasons"] = reasons
    result["next_steps"] = _steps(steps, language)
    return result


def _outside_periods(
    language: Language, programme: Programme, as_of: datetime.date
) -> dict[str, Any]:
    end = programme.ended_on
    steps = programme.next_steps
    if end is not None and as_of > end:
        reason = language.coded("programme_ended", messages.STATUS_REASONS, date=language.day(end))
        return _result(language, programme, "ended", [reason], steps.get("ended", ()))
    reason = language.coded(
        "programme_not_started", messages.STATUS_REASONS, date=language.day(as_of)
    )
    return _result(language, programme, "not_eligible", [reason], steps.get("not_eligible", ()))


def _rule_reasons(explanation: Explanation, language: Language) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for node, value in explanation.rules:
        reason = language.rule_reason(node.rule, value)
        seen.setdefault(reason["code"], reason)
    return list(seen.values())


def _evaluate_programme(
    language: Language, programme: Programme, flat: Flat, verified: Flat, as_of: datetime.date
) -> dict[str, Any]:
    period = programme.period_on(as_of)
    if period is None:
        return _outside_periods(language, programme, as_of)
    explanation = period.condition.explain(flat, as_of)
    reasons = _rule_reasons(explanation, language)
    steps = programme.next_steps
    if explanation.value is None:
        status, codes = "needs_information", steps.get("needs_information", ())
    elif explanation.value is False:
        failed = [
            node.steps_if_false(flat, as_of) for node, value in explanation.rules if value is False
        ]
        status = "not_eligible"
        codes = [code for group in failed for code in group] + list(steps.get("not_eligible", ()))
    elif verified is flat or period.condition.value(verified, as_of) is True:
        status, codes = "eligible", steps.get("eligible", ())
    else:
        status = "likely_eligible"
        codes = ["officer_will_verify", *steps.get("likely_eligible", steps.get("eligible", ()))]
        reasons.append(language.coded("idpoor_not_verified", messages.STATUS_REASONS))
    if status in ("eligible", "likely_eligible"):
        if period.cost_riel is not None:
            amount = language.riel(period.cost_riel)
            reasons.append(
                language.coded("contribution_cost", messages.STATUS_REASONS, amount=amount)
            )
        elif period.amount_unverified:
            reasons.append(language.coded("amount_set_by_programme", messages.STATUS_REASONS))
    return _result(language, programme, status, reasons, codes, period, flat, as_of)


def evaluate(facts: dict, as_of: datetime.date) -> list[dict]:
    """One result per programme, in the order of the programme table.

    ``facts`` is the object described in PROGRAMMES.md (every key optional).
    Raises ``InvalidFacts`` (a ``ValueError`` with ``.errors``, path → message)
    for facts that do not validate, and ``TypeError`` when ``as_of`` is not a date.
    """
    _check_as_of(as_of)
    flat = parse_facts(facts)
    verified = without_unverified(flat)
    if len(verified) == len(flat):
        verified = flat
    language = Language()
    return [_evaluate_programme(language, p, flat, verified, as_of) for p in catalogue()]


def evaluate_programme(facts: dict, as_of: datetime.date, programme_id: str) -> dict:
    """The result for one programme (as ``evaluate`` gives it); KeyError when unknown."""
    _check_as_of(as_of)
    programme = {p.id: p for p in catalogue()}[programme_id]
    flat = parse_facts(facts)
    verified = without_unverified(flat)
    if len(verified) == len(flat):
        verified = flat
    return _evaluate_programme(Language(), programme, flat, verified, as_of)


def questions_needed(
    facts: dict, as_of: datetime.date, only: Iterable[str] | None = None
) -> list[str]:
    """Fact paths still unknown whose answer could change some result, in asking order.

    Only programmes that would otherwise answer ``needs_information`` count,
    and only the facts that keep them undecided: a man is not asked about
    pregnancy, a household without an Equity Card is not asked its end date.
    ``children`` stands for the children's dates of birth. ``only``: the ids
    of the programmes that count (all when None).
    """
    _check_as_of(as_of)
    flat = parse_facts(facts)
    unknown: set[str] = set()
    wanted = None if only is None else set(only)
    for programme in catalogue():
        if wanted is not None and programme.id not in wanted:
            continue
        period = programme.period_on(as_of)
        if period is not None:
            unknown |= period.condition.explain(flat, as_of).unknown
    return sorted(unknown, key=FACT_ORDER.__getitem__)


def programmes() -> list[dict[str, Any]]:
    """What a page shows about each programme, in result order, in the current language.

    ``facts`` lists every fact path the programme's rules read (for a screener
    that asks only about chosen programmes); texts are ``str``.
    """
    language = Language()
    script = "km" if language.locale.startswith("km") else "en"
    return [
        {
            "id": programme.id,
            "name": programme.names[script],
            "names": dict(programme.names),
            "administered_by": programme.administered_by[script],
            "benefit": language.text(messages.BENEFITS[programme.id]),
            "documents": [language.coded(code, messages.DOCUMENTS) for code in programme.documents],
            "where_to_apply": [
                language.coded(code, messages.PLACES) for code in programme.where_to_apply
            ],
            "confidence": programme.confidence,
            "sources": list(programme.sources),
            "facts": sorted(programme.facts, key=FACT_ORDER.__getitem__),
            "ended_on": programme.ended_on.isoformat() if programme.ended_on else None,
            "apply_here": programme.applications is not None,
        }
        for programme in catalogue()
    ]


def programme_ids() -> list[str]:
    """Every programme id, in the order of the programme table."""
    return [programme.id for programme in catalogue()]
