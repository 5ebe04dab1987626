"""Time ``evaluate()`` over all programmes on a varied set of facts.

Run: ``.venv/bin/python bench/eligibility_bench.py [--calls N]``. Prints the
median and 95th percentile in microseconds per call; the target is a median
of at most 1 ms, so the engine can re-screen the whole registry in bulk.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.eligibility import evaluate

AS_OF = datetime.date(2025, 11, 21)
TARGET_MEDIAN_US = 1000.0
EMPLOYMENT = ["none", "informal", "self_employed", "nssf_employee", "civil_servant"]


def maybe(chooser: random.Random, value, chance: float = 0.8) -> dict:
    """``value`` most of the time, else nothing (an unknown fact)."""
    return value if chooser.random() < chance else {}


def random_facts(chooser: random.Random) -> dict:
    """A person and household with some facts unknown, as a screener would collect them."""
    born = AS_OF - datetime.timedelta(days=chooser.randint(6 * 365, 80 * 365))
    person = {
        **maybe(chooser, {"birth_date": born.isoformat()}),
        **maybe(chooser, {"sex": chooser.choice(["female", "male"])}),
        **maybe(chooser, {"pregnant": chooser.random() < 0.1}),
        **maybe(chooser, {"disability_card": chooser.random() < 0.05}),
        **maybe(chooser, {"living_with_hiv": chooser.random() < 0.02}),
        **maybe(chooser, {"school_grade": chooser.choice([None, *range(1, 13)])}),
        **maybe(chooser, {"school_attendance_percent": chooser.randint(50, 100)}),
        **maybe(chooser, {"employment": chooser.choice(EMPLOYMENT)}),
        **maybe(chooser, {"nssf_contribution_months_last_12": chooser.randint(0, 12)}),
        **maybe(chooser, {"nssf_pension_contribution_months": chooser.randint(0, 40)}),
    }
    expiry = AS_OF + datetime.timedelta(days=chooser.randint(-400, 900))
    household = {
        **maybe(chooser, {"idpoor_level": chooser.choice([None, 1, 2])}),
        **maybe(chooser, {"idpoor_verified": chooser.random() < 0.5}),
        **maybe(chooser, {"equity_card_expiry": expiry.isoformat()}),
        **maybe(chooser, {"member_living_with_hiv": chooser.random() < 0.02}),
    }
    children = [
        {"birth_date": (AS_OF - datetime.timedelta(days=chooser.randint(0, 3000))).isoformat()}
        for _ in range(chooser.randint(0, 3))
    ]
    return {"person": person, "household": household, **maybe(chooser, {"children": children})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20251121)
    args = parser.parse_args()
    chooser = random.Random(args.seed)  # noqa: S311 - reproducible test data, not security
    samples = [random_facts(chooser) for _ in range(args.calls)]
    evaluate(samples[0], AS_OF)  # load and compile the programmes before timing
    timings = []
    for facts in samples:
        start = time.perf_counter_ns()
        evaluate(facts, AS_OF)
        timings.append((time.perf_counter_ns() - start) / 1000)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"evaluate(): {args.calls} calls, 12 programmes each")
    print(f"median {median:.1f} µs per call, p95 {p95:.1f} µs per call")
    verdict = "met" if median <= TARGET_MEDIAN_US else "MISSED"
    print(f"target median ≤ {TARGET_MEDIAN_US:.0f} µs: {verdict}")
    return 0 if median <= TARGET_MEDIAN_US else 1


if __name__ == "__main__":
    sys.exit(main())
