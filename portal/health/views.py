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
    """The database and the registry answer."""
    checks = {}
    for name, probe in current_app.extensions["readiness_checks"].items():
        try:
            probe()
            checks[name] = "ok"
        except Exception as error:  # any failure means "not ready"
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            checks[name] = "unavailable"
    ready = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
