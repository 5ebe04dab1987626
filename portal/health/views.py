"""Liveness and readiness for load balancers and orchestrators (JSON)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify

blueprint = Blueprint("health", __name__)
logger = logging.getLogger("portal.health")


@blueprint.get("/healthz")
def healthz():
    """The process is up."""
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz():
    """The database and the registry answer; with figures such as the outbox's
    (how much waits, the oldest waiting item's age), which never make it unready."""
    checks = {}
    for name, probe in current_app.extensions["readiness_checks"].items():
        try:
            probe()
            checks[name] = "ok"
        except Exception as error:  # any failure means "not ready"
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            checks[name] = "unavailable"
    ready = all(state == "ok" for state in checks.values())
    figures = {}
    for name, measure in current_app.extensions["readiness_figures"].items():
        try:
            figures[name] = measure()
        except Exception as error:  # e.g. the database is down: the checks say so
            logger.warning("readiness figure %s failed: %s", name, type(error).__name__)
            figures[name] = None
    answer = {"status": "ok" if ready else "unavailable", "checks": checks, **figures}
    return jsonify(answer), 200 if ready else 503
