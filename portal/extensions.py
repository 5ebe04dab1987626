"""Flask extensions, created here and bound to the app in create_app()."""

import flask_compress
from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

from portal.i18n import PortalBabel
from portal.web.client_address import client_address
from portal.web.recently_used import RecentlyUsed

KEPT_COMPRESSED = "kept_pages_compressed"


class Compress(flask_compress.Compress):
    """Flask-Compress for the responses the portal generates. Static files come
    compressed already (portal.web.static_files, which honours `gzip;q=0`).
    A kept page (portal.web.visitor_pages) is compressed once per encoding."""

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("COMPRESS_CACHE_BACKEND", KeptPagesCompressed)
        app.config.setdefault("COMPRESS_CACHE_KEY", _no_key)
        # Only static files carry validators (ETag, Last-Modified), and they
        # answer conditional requests themselves: for every other response
        # Flask-Compress's conditional check would cost time and change nothing.
        app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
        # Brotli's window: 64 KB, not 4 MB. Every page is far smaller (the page
        # budget is 14,600 B compressed), so the bytes are the same, and a
        # question page compresses in 45 µs instead of 65 µs.
        app.config.setdefault("COMPRESS_BR_WINDOW", 16)
        super().init_app(app)
        # Per app: Flask-Compress keeps one cache object for all the apps it serves.
        app.extensions[KEPT_COMPRESSED] = RecentlyUsed(KeptPagesCompressed.KEPT)

    def after_request(self, response: Response | None) -> Response:
        if response is not None and request.endpoint == "static" and response.status_code < 400:
            return response
        return super().after_request(response)


def _no_key(_request) -> str:
    return ""  # KeptPagesCompressed knows the page by g.kept_page


class KeptPagesCompressed:
    """Flask-Compress's cache, for kept pages only: their bytes are the same for
    every visitor, so each encoding of them is made once per process. Any other
    response is compressed every time (get() finds nothing, set() keeps nothing)."""

    KEPT = 4096

    def get(self, encoding: str) -> bytes | None:
        kept = g.get("kept_page")
        return None if kept is None else _compressed().get((encoding, kept))

    def set(self, encoding: str, compressed: bytes) -> None:
        kept = g.get("kept_page")
        if kept is not None:
            _compressed().put((encoding, kept), compressed)


def _compressed() -> RecentlyUsed:
    return current_app.extensions[KEPT_COMPRESSED]


babel = PortalBabel()
csrf = CSRFProtect()
compress = Compress()
# Storage is chosen in create_app(): Redis when PORTAL_REDIS_URL is set, memory otherwise.
# No X-RateLimit-* headers: they would overwrite a 503's short Retry-After with a
# limit's window; the 429 page writes its own Retry-After (portal.web.errors).
limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=False)
