"""Security headers on every response, and the role guards on views.

The Content-Security-Policy allows nothing inline and nothing from another
origin: every style, font, image and (optional) script is a static file of ours.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, Response, abort, current_app, redirect, request, url_for

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=()",
}
HSTS = "max-age=63072000; includeSubDomains"


def setup_security_headers(app: Flask) -> None:
    production = app.config["PORTAL_ENV"] == "production"

    headers = list(SECURITY_HEADERS.items())
    if production:
        headers.append(("Strict-Transport-Security", HSTS))
    # Pages may carry personal data: never keep them in shared caches.
    page_headers = [*headers, ("Cache-Control", "no-store")]
    for_pages = [(name.lower(), (name, value)) for name, value in page_headers]
    for_others = [(name.lower(), (name, value)) for name, value in headers]

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # One look at the headers a view set itself (theirs win), then the rest
        # added: a look-up per header would cost more than some pages' views.
        wanted = for_pages if response.mimetype == "text/html" else for_others
        present = set(response.headers.keys(lower=True))
        response.headers.extend([header for lower, header in wanted if lower not in present])
        return response


# Guards. Each guarded view carries `required_roles`, so a test can walk every
# route and check that anonymous and wrong-role requests are refused.


def roles_required(*roles: str):
    """Only a signed-in user with one of `roles` may use the view (else sign-in or 403)."""
    from portal.web.identity import ROLES

    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            from portal.web.identity import acting_for_someone, current_role

            role = current_role()
            if role is None:
                login = "accounts.login" if roles == ("citizen",) else "staff.login"
                if login not in current_app.view_functions:
                    abort(403)
                return redirect(url_for(login, next=request.path))
            if role not in roles:
                if "citizen" in roles and role == "officer":
                    # A commune officer does what the citizen could, for them.
                    if acting_for_someone():
                        return view(*args, **kwargs)
                    if "officer.home" in current_app.view_functions:
                        return redirect(url_for("officer.home"))
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = frozenset(roles)
        return guarded

    return decorate


def citizen_required(view):
    return roles_required("citizen")(view)
