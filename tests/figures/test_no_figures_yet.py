"""Before the job has counted anything, the figures pages say so (a module of
its own: it builds an app of its own)."""

from __future__ import annotations

from tests.conftest import checked_app


def test_before_the_first_count_the_page_says_so(tmp_path):
    app = checked_app(tmp_path)
    client = app.test_client()
    assert "have not been counted yet" in client.get("/figures?lang=en").get_data(as_text=True)
    assert client.get("/figures/figures.csv").status_code == 404
