"""Settings the registry's operator keeps per OAuth client: the base address
where the registry sends a client's DCI callbacks (on-search, txn/on-status,
notify, ...). Only the operator sets it; a message may only name an address
under it (``callbacks.address_for``)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.registry.server.models import OAuthClient

MAX_URL_LENGTH = 500


def set_callback_url(session: Session, name: str, url: str) -> dict[str, str]:
    """Register ``url`` as the callback base address of the client ``name``
    (ValueError when there is no such client or the address is not allowed)."""
    checked = checked_callback_url(url)
    client = session.scalar(select(OAuthClient).where(OAuthClient.name == name))
    if client is None:
        raise ValueError(f"no client is named {name!r}")
    client.callback_url = checked
    session.commit()
    return {"name": name, "client_id": client.client_id, "callback_url": checked}


def checked_callback_url(url: str) -> str:
    """``url`` if it may receive callbacks: https, or http to a loopback host;
    no user name, password, query or fragment (ValueError otherwise)."""
    if not url.isprintable() or len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        raise ValueError(f"the address must be printable, without spaces, {MAX_URL_LENGTH} max")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValueError("the address is not a valid URL") from error
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("the address must be an https:// URL with a host")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError("plain http is allowed only to a loopback host; use https")
    if parts.username is not None or parts.password is not None:
        raise ValueError("the address must not carry a user name or password")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError("the address must not have a query or a fragment")
    if port == 0:
        raise ValueError("the address's port must not be 0")
    return url.rstrip("/") if parts.path not in ("", "/") else f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
