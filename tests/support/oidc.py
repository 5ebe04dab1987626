"""Start the real OpenID provider (tests/support/oidc_provider.mjs) on loopback,
and sign in through its development login form like a browser would."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "support" / "oidc_provider.mjs"


@dataclass(frozen=True)
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def oidc_provider(redirect_uris: list[str], accounts: dict[str, dict]) -> Iterator[OidcProvider]:
    """Run oidc-provider with one confidential client until the block ends."""
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("node_modules/oidc-provider is missing: run `npm ci` (make test does)")
    port = free_port()
    client = OidcProvider(
        f"http://127.0.0.1:{port}", "portal-test", "portal-test-secret-0123456789"
    )
    config = {
        "port": port,
        "clients": [
            {
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "redirect_uris": redirect_uris,
            }
        ],
        "accounts": accounts,
    }
    process = subprocess.Popen(
        ["node", str(SCRIPT)],
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config), "NODE_ENV": "test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its development-mode warnings
        text=True,
    )
    try:
        line = process.stdout.readline()  # "READY <issuer>", or "" if it exited
        if not line.startswith("READY"):
            raise RuntimeError(f"oidc-provider did not start (exit code {process.wait(10)})")
        yield client
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_provider(http: httpx.Client, authorize_url: str, login: str) -> str:
    """Follow the provider's login and consent forms; return the redirect back to the portal."""
    response = http.get(authorize_url)
    for _step in range(12):
        if response.status_code in (302, 303):
            location = urljoin(str(response.url), response.headers["location"])
            if not location.startswith(authorize_url.split("/auth")[0]):
                return location
            response = http.get(location)
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', response.text, re.S)
        if form is None:
            raise AssertionError(f"no form at the provider: {response.text[:500]}")
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
        if 'name="login"' in form.group(2):
            fields.update(login=login, password="any")
        response = http.post(urljoin(str(response.url), form.group(1)), data=fields)
    raise AssertionError("the provider never sent the browser back")
