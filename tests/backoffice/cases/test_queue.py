"""The handlers' queue: views by due date (overdue, due today, the next 7 days),
not assigned, mine, escalated first for supervisors; filters; search by
reference or phone; pages of 20; a handler without communes is told they see
nothing; hostile input is a form error, never a crash."""

from __future__ import annotations

import pytest

from tests.backoffice.cases.casework import (
    QUEUE,
    case_app,
    handler,
    move,
    new_case,
    new_phone,
    page,
    references_in,
    shown,
    supervisor,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return case_app(tmp_path_factory, "case_queue")


def test_views_by_due_date_and_assignment(app):
    commune = "010201"
    overdue = new_case(app, commune=commune, due_in=-3)
    due_today = new_case(app, commune=commune, due_in=0)
    upcoming = new_case(app, commune=commune, due_in=5)
    later = new_case(app, commune=commune, due_in=20)
    mine = new_case(app, commune=commune, due_in=30, assignee="queue.mine")
    theirs = new_case(app, commune=commune, due_in=30, assignee="someone.else")
    closed = new_case(app, commune=commune, due_in=-10)
    move(app, closed, "resolved", decision_code="upheld", note="done")
    client = handler(app, "queue.mine", [commune])

    def listed(view: str) -> set[str]:
        response = client.get(f"{QUEUE}?view={view}")
        assert response.status_code == 200
        return references_in(response)

    every = {shown(case) for case in (overdue, due_today, upcoming, later, mine, theirs)}
    assert listed("open") == every
    assert listed("overdue") == {shown(overdue)}
    assert listed("today") == {shown(due_today)}
    assert listed("upcoming") == {shown(upcoming)}
    assert listed("unassigned") == every - {shown(mine), shown(theirs)}
    assert listed("mine") == {shown(mine)}

    text = page(client.get(f"{QUEUE}?view=open"))
    assert "Overdue by 3 days" in text
    assert "Due today" in text
    # Ordered by the day to resolve them: the overdue one first.
    assert text.index(shown(overdue)) < text.index(shown(due_today)) < text.index(shown(later))
    # Handlers have no escalated view (that is the supervisors').
    assert client.get(f"{QUEUE}?view=escalated").status_code == 400


def test_filters_by_state_category_and_programme(app):
    commune = "010202"
    payment = new_case(app, commune=commune, category="payment")
    eligibility = new_case(
        app, commune=commune, category="eligibility", programme_id="elderly_allowance"
    )
    acknowledged = move(app, new_case(app, commune=commune), "acknowledged")
    client = handler(app, "queue.filters", [commune])
    assert references_in(client.get(f"{QUEUE}?category=eligibility")) == {shown(eligibility)}
    assert references_in(client.get(f"{QUEUE}?programme=elderly_allowance")) == {shown(eligibility)}
    assert references_in(client.get(f"{QUEUE}?status=acknowledged")) == {shown(acknowledged)}
    assert shown(payment) in references_in(client.get(f"{QUEUE}?status=received"))
    # A commune that is not theirs is not a choice.
    assert client.get(f"{QUEUE}?commune=120101").status_code == 400


def test_search_by_reference_or_phone_finds_any_state_within_the_scope(app):
    commune = "010203"
    phone = new_phone()
    case = new_case(app, commune=commune, phone=phone)
    decided = move(app, new_case(app, commune=commune, phone=phone), "rejected", note="no")
    elsewhere = new_case(app, commune="010301", phone=phone)
    client = handler(app, "queue.search", [commune])
    found = references_in(client.get(f"{QUEUE}?q={case['reference'].lower().replace('-', ' ')}"))
    assert found == {shown(case)}
    national = "0" + phone.removeprefix("+855")
    found = references_in(client.get(f"{QUEUE}?q={national}"))
    assert found == {shown(case), shown(decided)}  # not the other commune's
    assert shown(elsewhere) not in found
    assert client.get(f"{QUEUE}?q=not-a-reference").status_code == 400


def test_a_phone_never_finds_an_anonymous_report(app):
    commune = "010301"
    phone = new_phone()
    anonymous = {"anonymous": True, "contact_phone": phone, "language": "en"}
    hidden = new_case(app, commune=commune, complainant=anonymous)
    named = new_case(app, commune=commune, phone=phone)
    client = supervisor(app, "queue.sup.phone")
    found = references_in(client.get(f"{QUEUE}?q=0{phone.removeprefix('+855')}"))
    assert found == {shown(named)}
    assert shown(hidden) in references_in(client.get(f"{QUEUE}?commune={commune}"))


def test_supervisors_see_escalated_cases_first_and_any_commune(app):
    commune = "010302"
    plain = new_case(app, commune=commune, due_in=-5)
    escalated = new_case(app, commune=commune, due_in=10)
    move_escalated(app, escalated)
    client = supervisor(app, "queue.sup")
    text = page(client.get(f"{QUEUE}?commune={commune}"))
    assert text.index(shown(escalated)) < text.index(shown(plain))
    assert references_in(client.get(f"{QUEUE}?commune={commune}&view=escalated")) == {
        shown(escalated)
    }
    assert client.get(f"{QUEUE}?commune=999999").status_code == 400


def move_escalated(app, case: dict) -> dict:
    """Mark a case escalated as the escalation job does."""
    from portal.registry_access import registry
    from tests.grievances.conftest import HANDLER, READER

    with app.app_context():
        current = registry(app).grievances.read(case["id"], actor=READER)
        return registry(app).grievances.update(
            case["id"],
            {"escalated_at": "2026-01-01T00:00:00Z"},
            actor=HANDLER,
            if_match=f'"{current["version"]}"',
        )


def test_pages_of_twenty(app):
    commune = "010303"
    for _ in range(21):
        new_case(app, commune=commune, due_in=3)
    client = handler(app, "queue.pages", [commune])
    first = client.get(QUEUE)
    assert len(references_in(first)) == 20
    assert "Page 1 of 2" in page(first)
    assert len(references_in(client.get(f"{QUEUE}?page=2"))) == 1
    assert client.get(f"{QUEUE}?page=3").status_code == 404
    assert client.get(f"{QUEUE}?page=0").status_code == 404
    assert client.get(f"{QUEUE}?page={'9' * 20}").status_code == 404


def test_a_handler_without_communes_sees_nothing_and_is_told(app):
    new_case(app, commune="020101")
    client = handler(app, "queue.nobody", [])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert references_in(response) == set()
    assert "You have no commune yet" in page(response)


HOSTILE = [
    "q=%00",
    "q=" + "1" * 20,
    "q=" + "x" * 5000,
    "assignee=" + "a" * 5000,
    "assignee=%00x",
    "status=nonsense",
    "category=%00",
    "view=everything",
    "programme=" + "p" * 300,
    "commune=%00",
]


def test_hostile_filters_are_form_errors(app):
    client = handler(app, "queue.hostile", ["020102"])
    for query in HOSTILE:
        response = client.get(f"{QUEUE}?{query}")
        assert response.status_code == 400, query
        assert "There is a problem" in page(response), query
        assert client.get(f"/backoffice/grievances/export.csv?{query}").status_code == 400, query


def test_the_staff_home_links_to_the_queue(app):
    client = handler(app, "queue.home", ["020103"])
    assert f'href="{QUEUE}"' in page(client.get("/staff/"))
