"""Escalation: the outbox workers' job sends an open case past its deadline to
the supervisors once, with one "escalation" entry, even when two workers (two
threads, or two portals on the same databases) run it at the same moment."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.grievances import escalation
from portal.local_time import today
from portal.outbox.jobs import run_due_jobs, schedule
from portal.registry.client import RegistryUnavailable
from portal.registry_access import registry
from tests.conftest import checked_app
from tests.grievances.conftest import make_case, move, read

JOB = escalation.JOB


def days_ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


def days_on(days: int) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def overdue_case(app, **fields) -> dict:
    """Reported two weeks ago, acknowledged, to be resolved by yesterday."""
    case = make_case(app, acknowledge_by=days_ago(10), resolve_by=days_ago(1), **fields)
    return move(app, case, "acknowledged", reason="test")


def escalations(case: dict) -> list[dict]:
    return [entry for entry in case.get("events") or [] if entry.get("kind") == "escalation"]


def run_job(app) -> str:
    with app.app_context():
        return escalation.escalate_overdue(app)


def counts(outcome: str) -> tuple[int, int]:
    """ "escalated 3, skipped 1" → (3, 1)."""
    escalated, skipped = (part.split()[-1] for part in outcome.split(","))
    return int(escalated), int(skipped)


def assert_escalated_once(app, case_id: str) -> dict:
    case = read(app, case_id)
    assert case["escalated_at"]
    assert len(escalations(case)) == 1, case.get("events")
    return case


def test_a_case_past_its_deadline_is_escalated_once(app):
    case = overdue_case(app)

    first = run_job(app)
    assert counts(first)[0] >= 1
    escalated = assert_escalated_once(app, case["id"])

    assert run_job(app) == "escalated 0, skipped 0"  # nothing left to do
    again = assert_escalated_once(app, case["id"])
    assert again["escalated_at"] == escalated["escalated_at"]
    assert again["status"] == "acknowledged"  # escalating changes no state


def test_a_case_not_acknowledged_in_time_is_escalated(app):
    late = make_case(app, acknowledge_by=days_ago(1), resolve_by=days_on(20))
    acknowledged = move(
        app,
        make_case(app, acknowledge_by=days_ago(1), resolve_by=days_on(20)),
        "acknowledged",
        reason="test",
    )
    run_job(app)
    assert_escalated_once(app, late["id"])
    assert not read(app, acknowledged["id"]).get("escalated_at")


def test_cases_not_due_decided_or_escalated_already_are_left_alone(app):
    not_due = make_case(app)
    due_today = make_case(app, acknowledge_by=days_ago(3), resolve_by=today().isoformat())
    due_today = move(app, due_today, "investigating", reason="test")
    decided = move(app, overdue_case(app), "resolved", reason="test", decision_code="upheld")
    already = overdue_case(app)
    run_job(app)
    before = assert_escalated_once(app, already["id"])

    run_job(app)
    for case in (not_due, due_today, decided):
        found = read(app, case["id"])
        assert not found.get("escalated_at")
        assert escalations(found) == []
        assert found["version"] == case["version"]
    after = assert_escalated_once(app, already["id"])
    assert after["escalated_at"] == before["escalated_at"]
    assert after["version"] == before["version"]


def _race(monkeypatch, apps) -> list[str]:
    """Each app runs the job in a thread of its own; both have listed the
    overdue cases before either escalates one."""
    barrier = threading.Barrier(len(apps))
    listed = escalation.overdue_cases

    def listed_then_wait(app, day):
        found = listed(app, day)
        barrier.wait(timeout=20)
        return found

    monkeypatch.setattr(escalation, "overdue_cases", listed_then_wait)
    with ThreadPoolExecutor(len(apps)) as pool:
        return list(pool.map(run_job, apps))


def test_two_workers_at_once_escalate_each_case_once(app, monkeypatch):
    cases = [overdue_case(app, commune="010201") for _ in range(4)]

    outcomes = _race(monkeypatch, [app, app])

    escalated = [assert_escalated_once(app, case["id"]) for case in cases]
    done = [counts(outcome) for outcome in outcomes]
    # Every case the one worker escalated, the other skipped.
    assert sum(n for n, _skipped in done) == sum(skipped for _n, skipped in done)
    monkeypatch.undo()
    run_job(app)
    for before in escalated:
        after = assert_escalated_once(app, before["id"])
        assert after["escalated_at"] == before["escalated_at"]


@pytest.fixture
def two_portals(tmp_path):
    """Two portals (as two worker processes) on the same databases."""
    first = checked_app(tmp_path)
    second = checked_app(tmp_path)
    yield first, second
    for portal in (first, second):
        client = portal.extensions.get("registry")
        if client is not None and client.embedded_app is not None:
            client.embedded_app.extensions["registry.engine"].dispose()


def test_two_portals_on_the_same_databases_escalate_a_case_once(two_portals, monkeypatch):
    first, second = two_portals
    case = overdue_case(first)

    outcomes = _race(monkeypatch, [first, second])

    assert sorted(counts(outcome) for outcome in outcomes) == [(0, 1), (1, 0)]
    assert_escalated_once(first, case["id"])
    assert_escalated_once(second, case["id"])


def test_the_job_runs_once_a_turn_in_the_outbox_workers(two_portals):
    first, second = two_portals
    case = overdue_case(first)
    now = dt.datetime.now(dt.UTC)

    def turn(portal, moment):
        with portal.app_context():
            return run_due_jobs(portal, moment)

    with ThreadPoolExecutor(2) as pool:
        ran = list(pool.map(turn, [first, second], [now, now]))
    assert sum(JOB in names for names in ran) == 1
    escalated = assert_escalated_once(first, case["id"])

    # Not again until the next turn, 15 minutes on; then nothing is left to do.
    assert JOB not in turn(first, now + dt.timedelta(minutes=14))
    later = now + dt.timedelta(minutes=16)
    with ThreadPoolExecutor(2) as pool:
        ran = list(pool.map(turn, [first, second], [later, later]))
    assert sum(JOB in names for names in ran) == 1
    after = assert_escalated_once(first, case["id"])
    assert after["escalated_at"] == escalated["escalated_at"]
    with first.app_context():
        outcome = {job.name: job.last_outcome for job in schedule()}[JOB]
    assert outcome == "escalated 0, skipped 0"


def test_while_the_registry_is_down_the_turn_is_left_out(app, monkeypatch):
    case = overdue_case(app)

    def down():
        raise RegistryUnavailable("down")

    with app.app_context():
        monkeypatch.setattr(registry(app), "ping", down)
        assert run_job(app) == "registry unavailable: nothing done"
    assert not read(app, case["id"]).get("escalated_at")
    monkeypatch.undo()
    run_job(app)
    assert_escalated_once(app, case["id"])
