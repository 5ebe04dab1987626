"""Print each page's first-load weight (HTML + CSS + JS, gzipped) against the
14,600-byte budget. Run with `make bench`."""

from __future__ import annotations

import tempfile

from portal import create_app
from portal.page_weight import FIRST_ROUND_TRIP_BYTES, measure

PAGES = ["/", "/?lang=en", "/about/data", "/no-such-page", "/eligibility"]


def main() -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "PORTAL_ENV": "testing",
                "INSTANCE_PATH": instance,
                "DATABASE_URL": f"sqlite:///{instance}/portal.db",
                "REGISTRY_DATABASE_URL": f"sqlite:///{instance}/registry.db",
                "LOG_LEVEL": "WARNING",
            }
        )
        client = app.test_client()
        print(f"{'page':<28}{'html':>8}{'css+js':>8}{'total':>8}  budget {FIRST_ROUND_TRIP_BYTES}")
        for path in PAGES:
            if client.get(path).status_code == 404 and path != "/no-such-page":
                continue
            weight = measure(client, path)
            share = weight.total / FIRST_ROUND_TRIP_BYTES
            print(
                f"{path:<28}{weight.html_bytes:>8}{weight.asset_bytes:>8}{weight.total:>8}"
                f"  {share:.0%} of budget"
            )


if __name__ == "__main__":
    main()
