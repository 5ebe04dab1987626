"""Every staff route is guarded, and every guarded route refuses anonymous and
wrong-role requests. Walks the URL map of an app with the ministry sign-in
configured, so its routes are there too."""

from __future__ import annotations

import uuid

import flask
import pytest
from flask_wtf.csrf import generate_csrf

from portal import create_app
from portal.web.identity import ROLES, STAFF_ROLES, Citizen, sign_in_citizen
from portal.web.sessions import CSRF_FIELD
from tests.conftest import PageCheckingClient, make_test_config
from tests.staff.conftest import create_staff, sign_in

STAFF_PREFIXES = ("/staff/", "/officer", "/backoffice", "/admin")
SIGN_IN_ENDPOINTS = {"staff.login", "staff.login_code", "staff.ministry", "staff.ministry_callback"}
SIGN_IN_PAGES = ("/staff/login", "/login")
DUMMY = {"IntegerConverter": 1, "UUIDConverter": uuid.UUID(int=1), "FloatConverter": 1.0}


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The app and one signed-in client per role."""
    app = create_app(
        make_test_config(
            tmp_path_factory.mktemp("permissions"),
            STAFF_OIDC_ISSUER="http://127.0.0.1:9",  # metadata is fetched only at sign-in
            STAFF_OIDC_CLIENT_ID="portal",
            STAFF_OIDC_CLIENT_SECRET="secret",
        )
    )
    app.test_client_class = PageCheckingClient
    clients = {}
    for role in STAFF_ROLES:
        client = app.test_client()
        secret = create_staff(app, f"walk.{role}".replace("_", "-"), role)
        assert sign_in(client, f"walk.{role}".replace("_", "-"), secret).location == "/staff/"
        clients[role] = client
    clients["citizen"] = _citizen_client(app)
    return app, clients


def _citizen_client(app):
    with app.test_request_context():
        sign_in_citizen(Citizen(method="sms", phone="+85512345678"))
        data = dict(flask.session)
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(data)
    return client


def _csrf_token(app, client) -> str:
    """A valid form token for this client's session, so POSTs reach the guard."""
    with client.session_transaction() as stored:
        stored.get(CSRF_FIELD)  # the token is tied to the session id: make sure there is one
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app.test_request_context(headers={"Cookie": f"{cookie.key}={cookie.value}"}):
        return generate_csrf()


def _request(app, client, method: str, url: str):
    data = {"csrf_token": _csrf_token(app, client)} if method == "POST" else None
    return client.open(url, method=method, data=data)


def _dummy(converter):
    """A value the converter takes: its first choice for an ``any(...)`` one."""
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0]
    return DUMMY.get(type(converter).__name__, "x")


def _url(app, rule) -> str:
    values = {name: _dummy(converter) for name, converter in rule._converters.items()}
    with app.test_request_context():
        return flask.url_for(rule.endpoint, **values)


def _methods(rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def test_every_staff_route_is_guarded(portal):
    app, _clients = portal
    staff_rules = [
        rule for rule in app.url_map.iter_rules() if rule.rule.startswith(STAFF_PREFIXES)
    ]
    assert {rule.endpoint for rule in staff_rules} >= SIGN_IN_ENDPOINTS | {"staff.home"}
    unguarded = [
        rule.rule
        for rule in staff_rules
        if rule.endpoint not in SIGN_IN_ENDPOINTS
        and not getattr(app.view_functions[rule.endpoint], "required_roles", None)
    ]
    assert unguarded == []


def _guarded(app):
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        if roles:
            yield rule, roles


def test_anonymous_requests_to_guarded_routes_are_refused(portal):
    app, _clients = portal
    anonymous = app.test_client()
    checked = 0
    for rule, _roles in _guarded(app):
        url = _url(app, rule)
        for method in _methods(rule):
            response = _request(app, anonymous, method, url)
            if response.status_code == 302:
                assert response.location.startswith(SIGN_IN_PAGES), (method, url)
            else:
                assert response.status_code == 403, (method, url, response.status_code)
            checked += 1
    assert checked >= 3  # at least the staff home, password change and sign-out


def test_wrong_roles_get_403_on_every_guarded_route(portal):
    """...except a commune officer on a citizen's page while acting for no one:
    sent back to their own start page (after "end", the browser's back button
    lands there), with nothing of the citizen's page."""
    app, clients = portal
    for rule, roles in _guarded(app):
        url = _url(app, rule)
        for role in sorted(set(ROLES) - roles):
            for method in _methods(rule):
                response = _request(app, clients[role], method, url)
                if role == "officer" and roles == {"citizen"}:
                    assert (response.status_code, response.location) == (302, "/officer"), (
                        method,
                        url,
                    )
                    continue
                assert response.status_code == 403, (role, method, url, response.status_code)


def test_right_roles_get_through(portal):
    """The guard is not refusing everyone: each staff role opens the staff home."""
    _app, clients = portal
    for role in STAFF_ROLES:
        assert clients[role].get("/staff/").status_code == 200, role
    assert clients["citizen"].get("/staff/").status_code == 403
