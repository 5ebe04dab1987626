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
    "/grievances/new",
    "/grievances/new/category",
    "/track",
]
# After every screener question is answered "I do not know" (the longest results).
AFTER_ANSWERING = ["/eligibility/check", "/eligibility/results", "/eligibility/summary"]
# Signed in: a newcomer registering, and the demo citizen on their record.
NEWCOMER_PAGES = [
    "/register",
    "/register/q/name",
    "/register/q/birth-date",
    "/register/where/province",
    "/register/household",
    "/register/household/member",
    "/register/consent",
    "/register/claim",
]
DEMO_CITIZEN_PAGES = [
    "/me",
    "/me/card",
    "/me/data-access",
    "/me/changes",
    "/me/changes/new",
    "/applications",
    "/applications/new",
    "/applications/new/disability_allowance",
    "/applications/new/nssf_old_age_pension",
    "/grievances",
]
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")


def answer_everything_unknown(client) -> None:
    while (question := client.get("/eligibility/next").location).startswith("/eligibility/q/"):
        token = TOKEN.search(client.get(question).get_data(as_text=True)).group(1)
        client.post(question, data={"action": "unknown", "csrf_token": token})


def signed_in(app, phone: str):
    """A client signed in with `phone` (the development gateway keeps the code)."""
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"csrf_token": token, "phone_number": phone})
    code = CODE.search(app.extensions["sms_gateway"].messages()[0].text).group(1)
    token = TOKEN.search(client.get("/login/verify").get_data(as_text=True)).group(1)
    client.post("/login/verify", data={"csrf_token": token, "code": code})
    return client


def demo_application() -> str:
    """The page of household 0's head's demo application (portal/registry/server/seed.py)."""
    from portal.registry.server.applications import default_reference
    from portal.registry.server.seed import DEMO_YEAR, demo_id

    return f"/applications/{default_reference(demo_id('application-0'), DEMO_YEAR)}"


def demo_grievance() -> str:
    """The page of household 0's head's demo grievance."""
    from portal.registry.server.grievances import default_reference
    from portal.registry.server.seed import DEMO_YEAR, demo_id

    return f"/grievances/{default_reference(demo_id('grievance-0'), DEMO_YEAR)}"


def show(client, path: str) -> None:
    weight = measure(client, path)
    share = weight.total / FIRST_ROUND_TRIP_BYTES
    print(
        f"{path:<50}{weight.html_bytes:>8}{weight.asset_bytes:>8}{weight.total:>8}"
        f"  {share:.0%} of budget"
    )


def main() -> None:
    from portal.registry.server.seed import seed_demo
    from portal.registry_access import registry

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "PORTAL_ENV": "development",
                "INSTANCE_PATH": instance,
                "DATABASE_URL": f"sqlite:///{instance}/portal.db",
                "REGISTRY_DATABASE_URL": f"sqlite:///{instance}/registry.db",
                "LOG_LEVEL": "WARNING",
            }
        )
        with app.app_context():
            demo_registry = registry(app).embedded_app
        with demo_registry.extensions["registry.sessions"]() as session:
            seed_demo(session)
        client = app.test_client()
        print(f"{'page':<50}{'html':>8}{'css+js':>8}{'total':>8}  budget {FIRST_ROUND_TRIP_BYTES}")
        for path in PAGES + AFTER_ANSWERING:
            if path == AFTER_ANSWERING[0]:
                answer_everything_unknown(client)
            show(client, path)
        newcomer = signed_in(app, "012 345 678")
        for path in NEWCOMER_PAGES:
            show(newcomer, path)
        demo_citizen = signed_in(app, "012 000 045")
        for path in [*DEMO_CITIZEN_PAGES, demo_application(), demo_grievance()]:
            show(demo_citizen, path)


if __name__ == "__main__":
    main()
