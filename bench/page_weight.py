"""Print each page's first-load weight (HTML + CSS + JS, gzipped) against the
14,600-byte budget. Run with `make bench`."""

from __future__ import annotations

import re
import secrets
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
# Figures by place (read from the edition the figures job computed): the
# country, Kampot, a district, a commune with figures, one too small to show.
FIGURES_PAGES = [
    "/figures",
    "/figures?lang=en",
    "/figures/07",
    "/figures/0702",
    "/figures/070201",
    "/figures/070203",
    "/figures/about",
]
# A commune officer of household 0's commune, then acting for its head.
OFFICER_PAGES = [
    "/officer",
    "/officer/walk-in",
    "/officer/changes",
    "/officer/grievances",
    "/officer/activity",
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


def signed_in_officer(app):
    """A commune officer of household 0's commune, signed in with a TOTP code."""
    import pyotp
    from sqlalchemy import select

    from portal.accounts.models import StaffAccount
    from portal.database import db
    from portal.registry.server.seed import _village
    from portal.staff import services as staff

    password = secrets.token_urlsafe(16)  # a throwaway account in a throwaway database
    with app.app_context(), db.session() as session:
        staff.create_account(
            session,
            username="bench.officer",
            name="Bench Officer",
            role="officer",
            communes=[_village(0)[:6]],
            password=password,
            now=staff.utcnow(),
        )
        secret = staff.opened_totp_secret(
            session.scalar(
                select(StaffAccount.totp_secret).where(StaffAccount.username == "bench.officer")
            )
        )
    client = app.test_client()
    for path, data in (
        ("/staff/login", {"username": "bench.officer", "password": password}),
        ("/staff/login/code", {"code": pyotp.TOTP(secret).now()}),
    ):
        token = TOKEN.search(client.get(path).get_data(as_text=True)).group(1)
        client.post(path, data={"csrf_token": token, **data})
    return client


def show_officer_pages(app) -> None:
    officer = signed_in_officer(app)
    for path in OFFICER_PAGES:
        show(officer, path)
    token = TOKEN.search(officer.get("/officer").get_data(as_text=True)).group(1)
    show(officer, "/officer", method="POST", data={"csrf_token": token, "query": "សុខ"})


def show(client, path: str, method: str = "GET", **request_kwargs) -> None:
    weight = measure(client, path, method=method, **request_kwargs)
    path = f"{path} ({method})" if method != "GET" else path
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
        show_officer_pages(app)
        from portal.figures.editions import compute

        compute(app)
        for path in FIGURES_PAGES:
            show(app.test_client(), path)


if __name__ == "__main__":
    main()
