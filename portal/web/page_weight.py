"""What a page costs on a slow phone network: the gzipped bytes of its first
load (HTML + stylesheets + scripts), fonts excluded.

The budget is one TCP round trip: about 14,600 compressed bytes (RFC 6928).
Used by the budget test and by `make bench`.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass

FIRST_ROUND_TRIP_BYTES = 14_600
_ASSET = re.compile(
    r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"', re.IGNORECASE
)


@dataclass(frozen=True)
class PageWeight:
    path: str
    html_bytes: int
    asset_bytes: int

    @property
    def total(self) -> int:
        return self.html_bytes + self.asset_bytes


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def measure(client, path: str, method: str = "GET", **request_kwargs) -> PageWeight:
    """Fetch a page with a Flask test client and weigh its first load (a page
    that answers a form, e.g. search results, with ``method="POST"``)."""
    response = client.open(path, method=method, **request_kwargs)
    html = response.get_data()
    assets = 0
    for stylesheet, script in _ASSET.findall(html.decode("utf-8")):
        asset = client.get(stylesheet or script)
        assets += gzipped_size(asset.get_data())
    return PageWeight(path=path, html_bytes=gzipped_size(html), asset_bytes=assets)
