"""Sessions for bench/throughput.py, made the way a person makes them: through
the portal's pages, over HTTP.

- `screener_session`: a visitor who answered "I do not know" to every question,
  so check-answers and results have something to show;
- `signed_in_sessions`: demo citizens, each signed in with the code the
  development gateway shows on /dev/sms, with a CSRF token of the session.
"""

from __future__ import annotations

import re

import httpx

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")
COOKIE = "portal_session"
MOST_QUESTIONS = 60  # a screener that asks more than this is looping
# The demo population's parents (portal.registry.server.seed): household h's
# father is 45 and his number 012hhh045, its mother 41 with 013hhh041.
DEMO_HOUSEHOLDS = 12
DEMO_PARENTS = ((12, 45), (13, 41))
CODES_PER_NUMBER = 3  # sign-in codes one number may get in 15 minutes


def _csrf(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    if found is None:
        raise RuntimeError(f"{page.url} has no CSRF token")
    return found.group(1)


def screener_session(base: str) -> tuple[str, str]:
    """(the first question's path, the session cookie) after a whole screening."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as browser:
        page = browser.get("/eligibility/next")
        first_question = page.url.path
        for _ in range(MOST_QUESTIONS):
            if page.url.path == "/eligibility/check":
                return first_question, browser.cookies[COOKIE]
            page = browser.post(
                page.url.path, data={"csrf_token": _csrf(page), "action": "unknown"}
            )
            page.raise_for_status()
    raise RuntimeError("the screener never reached its check-answers page")


def demo_phones() -> list[str]:
    return [
        f"0{prefix}{household:03d}{age:03d}"
        for household in range(DEMO_HOUSEHOLDS)
        for prefix, age in DEMO_PARENTS
    ]


def signed_in_sessions(base: str, count: int) -> list[tuple[str, str]]:
    """`count` sessions of demo citizens: (cookie, CSRF token) each."""
    phones = demo_phones()
    if count > len(phones) * CODES_PER_NUMBER:
        raise ValueError(f"the demo population signs in at most {len(phones) * 3} times")
    return [signed_in_session(base, phones[number % len(phones)]) for number in range(count)]


def signed_in_session(base: str, phone: str) -> tuple[str, str]:
    """The cookie and a CSRF token of `phone`'s citizen, signed in with a code."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as browser:
        form = browser.get("/login")
        page = browser.post("/login", data={"csrf_token": _csrf(form), "phone_number": phone})
        if page.url.path != "/login/verify":
            raise RuntimeError(f"no code was sent to {phone}")
        code = CODE.search(browser.get("/dev/sms").text)  # the newest message comes first
        if code is None:
            raise RuntimeError("/dev/sms shows no sign-in code")
        page = browser.post("/login/verify", data={"csrf_token": _csrf(page), "code": code[1]})
        if page.url.path.startswith("/login"):
            raise RuntimeError("the sign-in code was refused")
        return browser.cookies[COOKIE], _csrf(browser.get("/eligibility"))
