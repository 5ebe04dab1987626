"""Every back-office route refuses every role but the officers who may use it:
the grievance roles, administrators and citizens get 403, anyone signed out
the staff sign-in page; commune officers cannot decide nor import payments."""

from __future__ import annotations

from tests.backoffice.conftest import PROGRAMME, applicant, application, staff_client
from tests.staff.test_route_permissions import _citizen_client, _methods, _request, _url

DECIDING = {
    "backoffice.ask_information",
    "backoffice.approve",
    "backoffice.refuse",
    "backoffice.record_payment",
    "backoffice.import_payments",
}


def backoffice_rules(app):
    # The application pages (the grievance cases': tests/backoffice/cases/test_access.py).
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/backoffice/") and rule.endpoint.startswith("backoffice.")
    ]
    assert {rule.endpoint for rule in rules} >= DECIDING | {
        "backoffice.applications",
        "backoffice.application",
        "backoffice.mark_received",
        "backoffice.documents_checked",
    }
    return rules


def test_other_roles_and_strangers_are_refused_everywhere(app):
    clients = {
        role: staff_client(app, f"other.{role}".replace("_", "-"), role)
        for role in ("grievance_handler", "grievance_supervisor", "admin")
    }
    clients["citizen"] = _citizen_client(app)
    record = application(app, applicant(app), PROGRAMME, state="documents_checked")
    anonymous = app.test_client()
    for rule in backoffice_rules(app):
        url = _url(app, rule).replace("00000000-0000-0000-0000-000000000001", record["id"])
        for method in _methods(rule):
            for role, client in clients.items():
                response = _request(app, client, method, url)
                assert response.status_code == 403, (role, method, url)
            response = _request(app, anonymous, method, url)
            assert response.status_code == 302, (method, url)
            assert response.location.startswith("/staff/login"), (method, url)


def test_commune_officers_may_look_and_confirm_but_not_decide(app, commune_officer):
    record = application(app, applicant(app), PROGRAMME, state="documents_checked")
    for rule in backoffice_rules(app):
        url = _url(app, rule).replace("00000000-0000-0000-0000-000000000001", record["id"])
        for method in _methods(rule):
            response = _request(app, commune_officer, method, url)
            if rule.endpoint in DECIDING:
                assert response.status_code == 403, (method, url)
            else:
                assert response.status_code != 403, (method, url)


def test_the_staff_home_names_the_role_its_programmes_and_links_to_the_applications(
    app, programme_officer
):
    home = programme_officer.get("/staff/?lang=en").get_data(as_text=True)
    assert "Programme officer" in home
    assert "Cash for pregnant women and children under 2" in home
    assert 'href="/backoffice/applications"' in home
