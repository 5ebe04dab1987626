"""The address a request comes from, as limits per address count it.

Behind the portal's own proxies (PORTAL_FORWARDED_ALLOW_IPS), the person's
address is in X-Forwarded-For: each proxy appends the address it received the
request from, so the right-most address that is not one of our proxies is the
person's. Anything further left was written by the client and is ignored, and
the header is ignored altogether unless the request itself came from one of
our proxies: nobody can choose the address they are counted under.

werkzeug's ProxyFix trusts a fixed number of hops whoever sent the request, so
it does not fit here.

An IPv6 address counts as its /64 network: a phone or a home is given a whole
/64 and could otherwise take a fresh address for each try.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flask import Flask, current_app, request

from portal.config import ConfigurationError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
IPV6_PREFIX = 64


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """Parse PORTAL_FORWARDED_ALLOW_IPS: addresses or networks, comma-separated."""
    networks = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry))
        except ValueError:
            raise ConfigurationError(
                f"PORTAL_FORWARDED_ALLOW_IPS: {entry!r} is not an address or a network "
                "(list the proxies in front of the portal, e.g. 10.0.0.0/24; '*' would let "
                "anyone choose the address their tries are counted under)"
            ) from None
    return tuple(networks)


def setup_client_address(app: Flask) -> None:
    app.extensions["trusted_proxies"] = trusted_networks(app.config["FORWARDED_ALLOW_IPS"])


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(peer: str | None, forwarded_for: list[str], proxies: tuple[Network, ...]) -> str:
    """The person's address: `peer` unless it is a trusted proxy; then the
    right-most address in X-Forwarded-For that is not one."""
    current = _parse(peer or "")
    if current is None:
        return peer or "unknown"
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    while _is_trusted(current, proxies) and hops:
        previous = _parse(hops.pop())
        if previous is None:  # a proxy wrote something unreadable: stop at that proxy
            break
        current = previous
    return str(current)


def _bucket(address_text: str) -> str:
    address = _parse(address_text)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return address_text


def client_address() -> str:
    """The key of this request's limits per address (Flask-Limiter's key_func)."""
    proxies = current_app.extensions.get("trusted_proxies", ())
    forwarded = request.headers.getlist("X-Forwarded-For")
    return _bucket(client_ip(request.remote_addr, forwarded, proxies))
