"""Print each page's first-load weight (HTML + CSS + JS, gzipped) against the
14,600-byte budget. Run with `make bench`."""

from __future__ import annotations

import re
import tempfile

from portal import create_app
from portal.web.page_weight import FIRST_ROUND_TRIP_BYTES, measure

PAGES = [
    "/",
    "/?lang=en",
    "/about/data",
    "/no-such-page",
    "/login",
    "/staff/login",
    "/eligibility",
    "/eligibility/q/work",
]
# After every screener question is answered "I do not know" (the longest results).
AFTER_ANSWERING = ["/eligibility/check", "/eligibility/results", "/eligibility/summary"]
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def answer_everything_unknown(client) -> None:
    while (question := client.get("/eligibility/next").location).startswith("/eligibility/q/"):
        token = TOKEN.search(client.get(question).get_data(as_text=True)).group(1)
        client.post(question, data={"action": "unknown", "csrf_token": token})


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
        for path in PAGES + AFTER_ANSWERING:
            if path == AFTER_ANSWERING[0]:
                answer_everything_unknown(client)
            weight = measure(client, path)
            share = weight.total / FIRST_ROUND_TRIP_BYTES
            print(
                f"{path:<28}{weight.html_bytes:>8}{weight.asset_bytes:>8}{weight.total:>8}"
                f"  {share:.0%} of budget"
            )


if __name__ == "__main__":
    main()
