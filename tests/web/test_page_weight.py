"""Every page's first load fits one round trip on a slow network (≤ 14,600 B gzipped)."""

import pytest

from portal.page_weight import FIRST_ROUND_TRIP_BYTES, measure

PAGES = ["/", "/?lang=en", "/about/data", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_first_load_is_within_budget(client, path):
    weight = measure(client, path)
    assert weight.html_bytes > 500  # a real page was weighed
    assert weight.asset_bytes > 500  # and its stylesheet with it
    assert weight.total <= FIRST_ROUND_TRIP_BYTES, weight
