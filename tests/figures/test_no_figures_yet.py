"""Before the job has counted anything the figures pages say so, and the
pages kept for first-time visitors follow each new edition (a module of its
own: each test builds an app of its own)."""

from __future__ import annotations

from tests.conftest import checked_app


def test_before_the_first_count_the_page_says_so(tmp_path):
    app = checked_app(tmp_path)
    client = app.test_client()
    assert "have not been counted yet" in client.get("/figures?lang=en").get_data(as_text=True)
    assert client.get("/figures/figures.csv").status_code == 404


def test_a_page_kept_for_visitors_follows_the_next_edition(tmp_path):
    """A first-time visitor's page is made once per edition: when the job
    computes a new one, the next visitor sees it."""
    from portal.figures import editions
    from tests.support.demo_data import load_demo_population

    app = checked_app(tmp_path)
    before = app.test_client().get("/figures").get_data(as_text=True)
    assert app.test_client().get("/figures").get_data(as_text=True) == before
    load_demo_population(app)
    editions.compute(app)
    after = app.test_client().get("/figures").get_data(as_text=True)
    assert after != before
    with app.test_request_context("/?lang=km"):
        from flask_babel import gettext

        assert (
            gettext("The figures have not been counted yet. They are counted every hour.") in before
        )
        assert (
            gettext("The figures have not been counted yet. They are counted every hour.")
            not in after
        )
