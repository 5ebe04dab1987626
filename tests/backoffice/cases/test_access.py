"""Who sees which grievance case, on every route of the back office's case
pages: a handler sees the non-confidential cases of their communes that are
not appeals and do not name them; a supervisor sees all but those naming
them; a case one may not see is "not found" (404) on the page and on every
action, like a guessed id; every other role gets 403, anyone signed out the
sign-in page; the queue and its CSV never list what the case page refuses."""

from __future__ import annotations

import uuid

import pytest

from tests.backoffice.cases.casework import (
    QUEUE,
    act,
    case_app,
    case_path,
    handler,
    move,
    new_case,
    read,
    references_in,
    rows,
    shown,
    supervisor,
    token_of,
)
from tests.backoffice.conftest import staff_client
from tests.staff.test_route_permissions import _citizen_client, _methods, _request

COMMUNE_A = "120101"
COMMUNE_B = "010201"
POST_ACTIONS = ("take", "reply", "note", "status", "decide", "link", "change-request")
SUPERVISOR_ACTIONS = ("assign", "exclude")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = case_app(tmp_path_factory, "case_access")
    own = new_case(app, commune=COMMUNE_A)
    original = move(app, new_case(app, commune=COMMUNE_A), "rejected", decision_code="not_upheld")
    original = move(app, original, "appealed")
    cases = {
        "own": own,
        "decided": original,
        "other_commune": new_case(app, commune=COMMUNE_B),
        "confidential": new_case(app, commune=COMMUNE_A, category="fraud"),
        "appeal": new_case(app, commune=COMMUNE_A, appeal_of=original["id"]),
        "names_handler": new_case(app, commune=COMMUNE_A, excluded_staff=["access.handler"]),
        "names_supervisor": new_case(app, commune=COMMUNE_B, excluded_staff=["access.boss"]),
    }
    clients = {
        "handler": handler(app, "access.handler", [COMMUNE_A]),
        "supervisor": supervisor(app, "access.boss"),
    }
    return app, cases, clients


VISIBLE = {
    "handler": {"own", "decided"},
    "supervisor": {"own", "decided", "other_commune", "confidential", "appeal", "names_handler"},
}


def test_the_case_page_shows_exactly_the_cases_each_role_may_see(world):
    _app, cases, clients = world
    for who, client in clients.items():
        for name, case in cases.items():
            status = client.get(case_path(case)).status_code
            assert status == (200 if name in VISIBLE[who] else 404), (who, name)


def test_every_action_on_a_case_one_may_not_see_is_not_found(world):
    app, cases, clients = world
    for who, client in clients.items():
        token = token_of(client, QUEUE)
        for name, case in cases.items():
            if name in VISIBLE[who]:
                continue
            data = {"csrf_token": token, "version": str(case["version"]), "text": "x"}
            for action in POST_ACTIONS:
                response = client.post(case_path(case, action), data=data)
                assert response.status_code == 404, (who, name, action)
            for action in SUPERVISOR_ACTIONS:
                response = client.post(case_path(case, action), data={**data, "username": "x.y.z"})
                expected = 404 if who == "supervisor" else 403
                assert response.status_code == expected, (who, name, action)
    for name, case in cases.items():
        assert read(app, case["id"])["version"] == case["version"], name


def test_guessed_ids_and_references_find_nothing(world):
    _app, cases, clients = world
    for who, client in clients.items():
        for _ in range(5):
            assert client.get(f"{QUEUE}/{uuid.uuid4()}").status_code == 404, who
        assert client.get(f"{QUEUE}/not-a-uuid").status_code == 404
        assert client.get(f"{QUEUE}/{'1' * 40}").status_code == 404
        data = {"csrf_token": token_of(client, QUEUE), "version": "1", "text": "x"}
        assert client.post(f"{QUEUE}/{uuid.uuid4()}/note", data=data).status_code == 404
        for name, case in cases.items():
            found = references_in(client.get(f"{QUEUE}?q={case['reference']}"))
            assert (shown(case) in found) == (name in VISIBLE[who]), (who, name)


def test_the_queue_and_its_csv_never_list_what_the_case_page_refuses(world):
    _app, cases, clients = world
    for who, client in clients.items():
        listed = set()
        for state in ("", "received", "appealed", "rejected"):
            listed |= references_in(client.get(f"{QUEUE}?status={state}"))
        expected = {shown(cases[name]) for name in VISIBLE[who]}
        assert listed == expected, who
        exported = {row["reference"] for row in rows(client.get(f"{QUEUE}/export.csv"))}
        exported |= {
            row["reference"] for row in rows(client.get(f"{QUEUE}/export.csv?status=appealed"))
        }
        assert exported == {cases[name]["reference"] for name in VISIBLE[who]}, who


def _rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(QUEUE)]
    assert {rule.endpoint for rule in rules} >= {
        "cases.queue_page",
        "cases.export_csv",
        "cases.case_page",
        "cases.take",
        "cases.assign",
        "cases.reply",
        "cases.note",
        "cases.change_status",
        "cases.decide",
        "cases.link",
        "cases.change_request",
        "cases.exclude",
    }
    return rules


def test_other_roles_get_403_and_strangers_the_sign_in_page_everywhere(world):
    app, cases, _clients = world
    others = {
        role: staff_client(app, f"access.{role}".replace("_", "-"), role)
        for role in ("officer", "programme_officer", "admin")
    }
    others["citizen"] = _citizen_client(app)
    anonymous = app.test_client()
    for rule in _rules(app):
        url = rule.rule.replace("<uuid:case_id>", cases["own"]["id"])
        for method in _methods(rule):
            for role, client in others.items():
                assert _request(app, client, method, url).status_code == 403, (role, url)
            response = _request(app, anonymous, method, url)
            assert response.status_code == 302, (method, url)
            assert response.location.startswith("/staff/login"), (method, url)


def test_handlers_do_not_assign_nor_exclude(world):
    _app, cases, clients = world
    client = clients["handler"]
    for action in SUPERVISOR_ACTIONS:
        response = act(client, cases["own"], action, username="access.handler")
        assert response.status_code == 403, action
