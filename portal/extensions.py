"""Flask extensions, created here and bound to the app in create_app()."""

import flask_compress
from flask import Response, request
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

from portal.i18n import PortalBabel
from portal.web.client_address import client_address


class Compress(flask_compress.Compress):
    """Flask-Compress for the responses the portal generates. Static files come
    compressed already (portal.web.static_files, which honours `gzip;q=0`)."""

    def after_request(self, response: Response | None) -> Response:
        if response is not None and request.endpoint == "static" and response.status_code < 400:
            return response
        return super().after_request(response)


babel = PortalBabel()
csrf = CSRFProtect()
compress = Compress()
# Storage is chosen in create_app(): Redis when PORTAL_REDIS_URL is set, memory otherwise.
# No X-RateLimit-* headers: they would overwrite a 503's short Retry-After with a
# limit's window; the 429 page writes its own Retry-After (portal.web.errors).
limiter = Limiter(key_func=client_address, default_limits=[], headers_enabled=False)
