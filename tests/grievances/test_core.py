"""The feature's rules as data and small pieces: deadlines (a wrong file stops
the portal), references as people type them, the PIN, and who sees a case."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import create_app
from portal.grievances import access, deadlines, pin, states
from portal.grievances.references import normalised, reference_of
from portal.web.identity import StaffMember
from tests.conftest import make_test_config


def test_the_default_deadlines_cover_every_subject_and_appeals():
    table = deadlines.table()
    assert table["payment"] == deadlines.Deadlines(3, 15)
    assert table["abuse"].acknowledge_days == 1
    acknowledge, resolve = deadlines.due_dates("payment", dt.date(2026, 11, 29))
    assert (acknowledge, resolve) == (dt.date(2026, 12, 2), dt.date(2026, 12, 14))
    assert deadlines.due_dates("fraud", dt.date(2026, 1, 1), appeal=True)[1] == dt.date(2026, 1, 31)
    # A subject of older records falls back on the default.
    assert deadlines.for_category("service_quality") == table["default"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("default: {acknowledge_days: 5, resolve_days: 30}\ncategories: {}\n", "appeal"),
        (
            "default: {acknowledge_days: 5, resolve_days: 30}\n"
            "appeal: {acknowledge_days: 3, resolve_days: 30}\n"
            "categories: {payments: {acknowledge_days: 3, resolve_days: 15}}\n",
            "payments",
        ),
        (
            "default: {acknowledge_days: 5, resolve_days: 30}\n"
            "appeal: {acknowledge_days: 3, resolve_days: 30}\n"
            "categories: {payment: {acknowledge_days: 0, resolve_days: 15}}\n",
            "acknowledge_days",
        ),
        (
            "default: {acknowledge_days: 5, resolve_days: 30}\n"
            "appeal: {acknowledge_days: 3, resolve_days: 30}\n"
            "categories: {payment: {acknowledge_days: 20, resolve_days: 15}}\n",
            "payment",
        ),
    ],
)
def test_wrong_deadlines_are_refused_with_where(text, problem):
    with pytest.raises(deadlines.DeadlinesError, match=problem):
        deadlines.parse(text)


def test_a_wrong_deadlines_file_stops_the_portal(tmp_path, monkeypatch):
    wrong = tmp_path / "deadlines.yaml"
    wrong.write_text("default: {acknowledge_days: 5}\n", encoding="utf-8")
    monkeypatch.setattr(deadlines, "PATH", wrong)
    deadlines.table.cache_clear()
    try:
        with pytest.raises(deadlines.DeadlinesError):
            create_app(make_test_config(tmp_path))
    finally:
        deadlines.table.cache_clear()


@pytest.mark.parametrize(
    "typed",
    ["GR-2026-004217", "gr 2026 004217", "GR-2026-004 217", "២០២៦០០៤២១៧", " GR2026004217 "],
)
def test_a_reference_as_people_type_it(typed):
    assert normalised(typed) == "GR-2026-004217"


@pytest.mark.parametrize("typed", ["", "GR-2026-04217", "x" * 41, "GR-2026-0042170", "AB\x00CD"])
def test_what_cannot_be_a_reference(typed):
    assert normalised(typed) is None


def test_the_reference_comes_from_the_id_and_the_year():
    record_id = "00000000-0000-0000-0000-000000abcdef"
    assert reference_of(record_id, dt.date(2026, 3, 1)) == f"GR-2026-{0xABCDEF % 1_000_000:06d}"


def test_the_pin_is_six_digits_and_only_its_own_hash_matches(tmp_path):
    app = create_app(make_test_config(tmp_path))
    with app.app_context():
        chosen = {pin.new_pin() for _ in range(50)}
        assert all(len(one) == 6 and one.isdigit() for one in chosen) and len(chosen) > 40
        case = {"reference": "GR-2026-004217"}
        case["complainant"] = {"pin_hash": pin.pin_hash(case["reference"], "012345")}
        assert pin.pin_matches(case, "012345")
        assert not pin.pin_matches(case, "012346")
        assert not pin.pin_matches({**case, "reference": "GR-2026-004218"}, "012345")
        assert not pin.pin_matches({"reference": "GR-2026-004217", "complainant": {}}, "012345")


def _member(role: str, communes=(), username="sok.dara") -> StaffMember:
    return StaffMember(username, "Sok Dara", role, "password_totp", tuple(communes))


@pytest.mark.parametrize(
    ("member", "case", "sees"),
    [
        (_member("grievance_handler", ["010201"]), {"commune_code": "010201"}, True),
        (_member("grievance_handler", ["010201"]), {"commune_code": "010202"}, False),
        (
            _member("grievance_handler", ["010201"]),
            {"commune_code": "010201", "confidential": True},
            False,
        ),
        (
            _member("grievance_handler", ["010201"]),
            {"commune_code": "010201", "appeal_of": "x"},
            False,
        ),
        (
            _member("grievance_handler", ["010201"]),
            {"commune_code": "010201", "excluded_staff": ["sok.dara"]},
            False,
        ),
        (_member("grievance_handler"), {"commune_code": "010201"}, False),
        (_member("grievance_supervisor"), {"commune_code": "010201", "confidential": True}, True),
        (_member("grievance_supervisor"), {"excluded_staff": ["sok.dara"]}, False),
        (_member("officer", ["010201"]), {"commune_code": "010201"}, False),
        (_member("admin"), {"commune_code": "010201"}, False),
        (None, {"commune_code": "010201"}, False),
    ],
)
def test_who_sees_a_case(member, case, sees):
    assert access.may_see(member, case) is sees


def test_the_query_scope_matches_the_rule():
    handler = _member("grievance_handler", ["010201", "010202"])
    assert access.scope_filters(handler) == {
        "visible_to": "sok.dara",
        "commune_code": "010201,010202",
        "confidential": "false",
        "is_appeal": "false",
    }
    assert access.scope_filters(_member("grievance_supervisor")) == {"visible_to": "sok.dara"}
    assert access.sees_nothing(_member("grievance_handler"))


def test_the_reporters_rights_after_a_decision():
    today = dt.date(2026, 11, 29)
    decided = {"status": "resolved", "decided_at": "2026-11-10T03:00:00Z", "history": []}
    assert states.may_reopen(decided, today) and states.may_appeal(decided, today)
    assert states.may_say_satisfied(decided)
    late = {**decided, "decided_at": "2026-10-29T03:00:00Z"}
    assert not states.may_reopen(late, today) and not states.may_appeal(late, today)
    reopened = {**decided, "history": [{"to_status": "reopened"}]}
    assert not states.may_reopen(reopened, today) and states.may_appeal(reopened, today)
    assert not states.may_appeal({**decided, "appeal_of": "x"}, today)
    assert not states.may_say_satisfied({**decided, "satisfied": False})
    assert not states.may_reopen({"status": "investigating"}, today)
