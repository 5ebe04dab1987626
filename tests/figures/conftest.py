"""A portal with the demo population (its Kampot households included) and the
figures computed once, for the module."""

from __future__ import annotations

import pytest

from portal.figures import editions
from tests.conftest import checked_app
from tests.support.demo_data import load_demo_population


@pytest.fixture(scope="module")
def figures_app(tmp_path_factory):
    app = checked_app(tmp_path_factory.mktemp("figures"))
    load_demo_population(app, places=True)
    outcome = editions.compute(app)
    assert outcome.startswith("figures as of")
    return app


@pytest.fixture(scope="module")
def documents(figures_app):
    """The newest (public, staff) editions."""
    with figures_app.app_context():
        return editions.public().document, editions.for_staff().document
