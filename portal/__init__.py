"""Cambodia's citizen self-service portal for social protection.

`create_app()` assembles the portal as a list of setup steps, in order.
"""

from __future__ import annotations

import logging
from pathlib import Path
from weakref import WeakKeyDictionary

from flask import Flask

from portal import config as settings
from portal.accounts.digital_id import setup_digital_id
from portal.accounts.language_choice import setup_language_memory
from portal.catalogues import setup_catalogues
from portal.cli import setup_commands
from portal.database import db
from portal.extensions import babel, compress, csrf, limiter
from portal.figures.editions import setup_figures
from portal.grievances.deadlines import setup_deadlines
from portal.grievances.escalation import setup_escalation
from portal.i18n import select_locale, setup_i18n
from portal.notifications import setup_notifications
from portal.officer.assisted import setup_assisted_sessions
from portal.outbox import setup_outbox
from portal.registry_access import setup_registry
from portal.web.client_address import setup_client_address
from portal.web.errors import setup_error_pages
from portal.web.form_tokens import setup_form_tokens
from portal.web.identity import setup_identity
from portal.web.request_log import setup_request_logging
from portal.web.security import setup_security_headers
from portal.web.sessions import setup_sessions
from portal.web.static_files import setup_static_files
from portal.web.template_languages import LanguageEnvironment
from portal.web.templating import setup_templating

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PortalFlask(Flask):
    """Flask, with each template compiled once per language, and each hook
    checked once for being a coroutine (Flask asks again for every hook of
    every request: fifteen times a page)."""

    jinja_environment = LanguageEnvironment

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Weak keys: a function made for one request (after_this_request) is
        # forgotten with it.
        self._callable_as_sync: WeakKeyDictionary = WeakKeyDictionary()

    def ensure_sync(self, func):
        try:
            known = self._callable_as_sync.get(func)
        except TypeError:  # cannot be weakly referenced: checked each time
            return super().ensure_sync(func)
        if known is None:
            known = self._callable_as_sync[func] = super().ensure_sync(func)
        return known


def create_app(config: dict | None = None) -> Flask:
    app = PortalFlask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_configuration(app, config)
    setup_request_logging(app)
    setup_catalogues(app)
    setup_client_address(app)
    setup_extensions(app)
    setup_form_tokens(app)
    setup_i18n(app)
    setup_templating(app)
    setup_static_files(app)
    setup_security_headers(app)
    setup_sessions(app)
    setup_identity(app)
    setup_assisted_sessions(app)
    setup_error_pages(app)
    setup_readiness_checks(app)
    setup_registry(app)
    setup_notifications(app)
    setup_outbox(app)
    setup_deadlines(app)
    setup_escalation(app)
    setup_figures(app)
    setup_digital_id(app)
    setup_language_memory(app)
    load_programme_rules()
    register_blueprints(app)
    setup_commands(app)
    return app


def load_configuration(app: Flask, overrides: dict | None) -> None:
    app.config.update(settings.from_environment())
    app.config.update(overrides or {})
    settings.apply_environment_rules(app.config)
    settings.check(app.config)
    app.instance_path = app.config["INSTANCE_PATH"]
    if app.config["PORTAL_ENV"] != "production":
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def setup_extensions(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    compress.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    limiter.init_app(app)
    skip_limiter_middleware(app)
    # Flask-Limiter logs each refusal with its key: the person's address.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    db.init_app(app)


def skip_limiter_middleware(app: Flask) -> None:
    """Flask-Limiter checks every request for application-wide and default
    limits. The portal has neither: its limits are on views, checked by their
    decorators. So the check, a tenth of a small page's time, goes."""
    manager = limiter.limit_manager
    if not manager.default_limits and not manager.application_limits:
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def load_programme_rules() -> None:
    """Parse and check the programme rules once per process, at start: never
    inside a request (where 20 requests at once would each parse them)."""
    from portal.eligibility.rules import catalogue

    catalogue()


def setup_readiness_checks(app: Flask) -> None:
    app.extensions["readiness_checks"] = {"database": db.ping}
    app.extensions["readiness_figures"] = {}


def register_blueprints(app: Flask) -> None:
    from portal.accounts.views import blueprint as accounts
    from portal.applications.views import blueprint as applications
    from portal.backoffice.cases.views import blueprint as cases
    from portal.backoffice.views import blueprint as backoffice
    from portal.changes.views import blueprint as changes
    from portal.eligibility.views import api as eligibility_api
    from portal.eligibility.views import blueprint as eligibility
    from portal.figures.staff_views import blueprint as figures  # public and staff routes
    from portal.grievances.views import blueprint as grievances
    from portal.health.views import blueprint as health
    from portal.my_record.views import blueprint as my_record
    from portal.officer.views import blueprint as officer
    from portal.pages.views import blueprint as pages
    from portal.registration.views import blueprint as registration
    from portal.staff.views import blueprint as staff

    app.register_blueprint(pages)
    app.register_blueprint(health)
    app.register_blueprint(eligibility)
    app.register_blueprint(eligibility_api)
    app.register_blueprint(staff)
    app.register_blueprint(accounts)
    app.register_blueprint(registration)
    app.register_blueprint(my_record)
    app.register_blueprint(changes)
    app.register_blueprint(applications)
    app.register_blueprint(backoffice)
    app.register_blueprint(grievances)
    app.register_blueprint(cases)
    app.register_blueprint(officer)
    app.register_blueprint(figures)
    if app.config["PORTAL_ENV"] == "development":
        from portal.notifications.views import blueprint as dev_sms

        app.register_blueprint(dev_sms)
