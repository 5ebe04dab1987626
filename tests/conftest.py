"""Fixtures shared by the whole suite.

`client` is a page-checking client: every HTML page it fetches must have a
language, a title, unique ids, a label for each field, a CSRF token in each
POST form and no inline script or style.
"""

from __future__ import annotations

import gc
import os

import pytest
from flask import template_rendered
from flask.testing import FlaskClient

from portal import create_app
from tests.support.page_checks import check_page

IN_CI = os.environ.get("CI") == "true"
pytest_plugins = ["tests.support.browser"]


class PageCheckingClient(FlaskClient):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not response.is_streamed:
            check_page(response.get_data(as_text=True), response.request.path)
        return response


def make_test_config(tmp_path, **overrides) -> dict:
    config = {
        "PORTAL_ENV": "testing",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'portal.db'}",
        "REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'registry.db'}",
        "HELP_PHONE": "1297",
    }
    config.update(overrides)
    return config


def checked_app(tmp_path, **overrides):
    """A portal whose test clients check every page they fetch."""
    app = create_app(make_test_config(tmp_path, **overrides))
    app.test_client_class = PageCheckingClient
    return app


def development_app(tmp_path, **overrides):
    """Development mode: the console SMS gateway keeps the codes, /dev/sms lists them."""
    return checked_app(tmp_path, PORTAL_ENV="development", **overrides)


@pytest.fixture
def app(tmp_path):
    return checked_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def renders(app):
    """The names of the templates `app` renders while the test runs, in order."""
    made: list[str] = []

    def record(_sender, template, **_extra):
        made.append(template.name)

    template_rendered.connect(record, app)
    yield made
    template_rendered.disconnect(record, app)


@pytest.fixture(autouse=True)
def _no_collection_pause_in_timed_tests(request):
    """A test that times a page runs with the worker's older objects frozen.

    A pytest worker keeps hundreds of thousands of objects from the tests it
    ran before; one full garbage collection of them stops every thread of the
    process (the test, the portal it serves, its fake peers) for a second or
    more on a busy machine, which a timed test would blame on the portal.
    Frozen objects are skipped by the collector; what the test makes is still
    collected as usual."""
    if request.node.get_closest_marker("timed") is None:
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
